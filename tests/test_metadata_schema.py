"""autograder.metadata_schema: nbgrader's cell-metadata checks with the schema compiled once, refusing what
``jsonschema.validate`` refuses, with the same error."""
from __future__ import annotations

import copy
import inspect

import jsonschema
import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator, ValidationError, common
from nbgrader.preprocessors import CheckCellMetadata

from autograder import metadata_schema
from support.courses import ASSIGNMENTS

SOURCE = ASSIGNMENTS[0].source_path


def test_nbgrader_still_validates_cells_through_its_modules_jsonschema():
    """The shim works only while nbgrader calls ``jsonschema.validate`` from that module: a release that does
    otherwise makes this fail, and the shim is to be looked at again."""
    assert "jsonschema.validate(" in inspect.getsource(common.BaseMetadataValidator.validate_cell)
    metadata_schema.install()
    metadata_schema.install()
    assert isinstance(common.jsonschema, metadata_schema.OnceCompiled)


CORRUPTIONS = {
    "points not a number": lambda m: m.__setitem__("points", "two"),
    "grade not a boolean": lambda m: m.__setitem__("grade", "yes"),
    "solution not a boolean": lambda m: m.__setitem__("solution", 1),
    "an unknown key": lambda m: m.__setitem__("colour", "red"),
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupted_cell_gets_the_error_jsonschema_gives(corrupt):
    metadata_schema.install()
    nb = nbformat.read(SOURCE, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    corrupt(cell.metadata["nbgrader"])
    schema = MetadataValidator().schema
    with pytest.raises(jsonschema.ValidationError) as plain:
        jsonschema.validate(cell.metadata["nbgrader"], schema)
    with pytest.raises(jsonschema.ValidationError) as ours:
        MetadataValidator().validate_cell(cell)
    assert (ours.value.message, list(ours.value.path)) == (plain.value.message, list(plain.value.path))
    with pytest.raises(ValidationError, match="the nbgrader metadata may be corrupted"):
        CheckCellMetadata().preprocess(nb, {})


def test_every_cell_of_every_assignment_still_validates():
    metadata_schema.install()
    for assignment in ASSIGNMENTS:
        for nb in (assignment.source(), assignment.release()):
            CheckCellMetadata().preprocess(copy.deepcopy(nb), {})


def test_a_schema_changed_after_its_first_use_is_compiled_again():
    once = metadata_schema.OnceCompiled()
    schema = {"type": "object", "properties": {"points": {"type": "number"}}}
    once.validate({"points": 1}, schema)
    schema["properties"]["points"]["type"] = "string"
    with pytest.raises(jsonschema.ValidationError):
        once.validate({"points": 1}, schema)
    with pytest.raises(jsonschema.SchemaError):
        once.validate({}, {"type": 12})
