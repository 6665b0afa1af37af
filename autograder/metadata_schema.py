"""nbgrader's cell-metadata checks, each schema compiled once per process instead of once per cell.

nbgrader validates the ``nbgrader`` metadata of every cell with ``jsonschema.validate(metadata, schema)``
(``nbgrader.nbgraderformat.common.BaseMetadataValidator.validate_cell``) in ``CheckCellMetadata``, a sanitizing and
an autograde preprocessor: twice per graded notebook.
``jsonschema.validate`` checks the schema against its metaschema and builds a validator at every call: 35 ms per
notebook of the course (32 cells with metadata), where a validator built once takes 2.3 ms, in the grader's main
thread, beside the workers.

``install()`` gives nbgrader's module a ``jsonschema`` whose ``validate`` does what ``jsonschema.validate`` does
(the same metaschema check, the same validator class, the same error: ``best_match`` of the errors) with the
validator of each distinct schema kept. tests/test_metadata_schema.py checks that nbgrader still calls it so and
that a corrupted cell is refused with the same error.
"""
from __future__ import annotations

import json
import threading

import jsonschema
from jsonschema.exceptions import best_match


class OnceCompiled:
    """``jsonschema.validate`` with each schema (by its JSON text) checked and compiled once; the rest of the
    ``jsonschema`` module as it is."""

    def __init__(self) -> None:
        self._validators: dict[str, object] = {}
        self._lock = threading.Lock()

    def validate(self, instance, schema, cls=None, *args, **kwargs) -> None:
        if cls is not None or args or kwargs:
            return jsonschema.validate(instance, schema, cls, *args, **kwargs)
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            kind = jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            validator = kind(json.loads(key))      # its own copy: the caller's dict may change later
            with self._lock:
                self._validators[key] = validator
        error = best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name: str):
        return getattr(jsonschema, name)


def install() -> None:
    """Put ``OnceCompiled`` in nbgrader's metadata module (once; harmless to call again)."""
    from nbgrader.nbgraderformat import common
    if not isinstance(common.jsonschema, OnceCompiled):
        common.jsonschema = OnceCompiled()
