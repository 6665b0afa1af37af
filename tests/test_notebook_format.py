"""Source notebooks follow nbgrader's format and the course's cell conventions (DESIGN.md, "The notebooks")."""
from __future__ import annotations

import ast
from collections import Counter

import nbformat
import pytest
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

from autograder import cells
from support.courses import ASSIGNMENTS, REPO

pytestmark = pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)


def test_valid_nbformat(assignment):
    nbformat.validate(assignment.source())


def test_nbgrader_metadata_schema_3(assignment):
    nb = assignment.source()
    MetadataValidatorV3().validate_nb(nb)
    for cell in nb.cells:
        if "nbgrader" in cell.metadata:
            assert cells.meta(cell)["schema_version"] == 3, f"cell {cell.id}: nbgrader schema_version must be 3"


def test_unique_grade_ids(assignment):
    ids = [cells.grade_id(c) for c in assignment.source().cells if cells.grade_id(c)]
    repeated = [g for g, n in Counter(ids).items() if n > 1]
    assert not repeated, f"grade_id used more than once: {repeated}"


def test_committed_clean(assignment):
    """No outputs and no execution counts: the source notebook is content, not a run."""
    dirty = [c.id for c in assignment.source().cells
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"cells with outputs or execution counts: {dirty}; clear them before committing"


def test_python_kernel(assignment):
    spec = assignment.source().metadata.get("kernelspec", {})
    assert spec.get("name") == "python3" and spec.get("language") == "python"


def test_setup_cell_is_locked_and_seeds_rng(assignment):
    first = next(c for c in assignment.source().cells if c.cell_type == "code")
    assert cells.meta(first).get("locked"), "the first code cell (setup) must be locked"
    assert "np.random.default_rng(" in first.source, "the setup cell makes rng = np.random.default_rng(<seed>)"


def test_graded_test_cells_are_locked_with_points_and_hidden_tests(assignment):
    for cell in assignment.source().cells:
        if cells.is_autograded_test(cell):
            gid = cells.grade_id(cell)
            assert cells.meta(cell).get("locked"), f"{gid}: a graded test cell must be locked"
            assert cells.points(cell) > 0, f"{gid}: a graded test cell must have points"
            hidden = [line for line in cells.secret_lines(cell) if line[1].strip()]
            assert hidden, f"{gid}: the real check goes in a ### BEGIN HIDDEN TESTS block"


def test_every_autograded_solution_is_checked(assignment):
    """Each name a student's code cell defines is used by at least one later graded test cell."""
    nb = assignment.source()
    for i, cell in enumerate(nb.cells):
        if not cells.is_autograded_solution(cell):
            continue
        defined = cells.defined_names(cell.source)
        assert defined, f"solution cell {cells.grade_id(cell)} defines nothing a test could check"
        used = set().union(*(cells.used_names(c.source) for c in nb.cells[i + 1:] if cells.is_autograded_test(c)))
        assert defined & used, (f"solution cell {cells.grade_id(cell)} defines {sorted(defined)}, "
                                "but no later graded test cell uses any of them")


def test_a_function_cell_is_named_after_its_function(assignment):
    """A solution cell that defines a function has that function's name as grade_id; its test cells' grade_ids
    start with it (DESIGN.md: grade_id = <function>_<what>), which is how variants find them."""
    nb = assignment.source()
    tests = [cells.grade_id(c) for c in nb.cells if cells.is_autograded_test(c)]
    for cell in nb.cells:
        if cells.is_autograded_solution(cell):
            functions = cells.defined_functions(cell.source)
            gid = cells.grade_id(cell)
            if functions:
                assert functions == {gid}, (f"solution cell {gid} defines {sorted(functions)}: "
                                            "one function, named as the cell")
            assert any(t.startswith(gid + "_") for t in tests), f"no graded test cell named {gid}_<what>"


def test_course_library_holds_no_solution(assignment):
    """course/ must never define what a student writes (DESIGN.md: it must never contain a solution)."""
    if assignment.root != REPO:
        pytest.skip("the fixture's functions are not part of the course")
    student = set()
    for cell in assignment.source().cells:
        if cells.is_autograded_solution(cell):
            student |= cells.defined_functions(cell.source)
    for path in (REPO / "course").rglob("*.py"):
        tree = ast.parse(path.read_text())
        defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        assert not (defined & student), f"{path.relative_to(REPO)} defines {sorted(defined & student)}"
