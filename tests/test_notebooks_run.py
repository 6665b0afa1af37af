"""With solutions a notebook runs top to bottom and passes every graded cell; left blank it earns nothing."""
from __future__ import annotations

import time

import pytest
from nbclient import NotebookClient

from autograder import bench, cells, translate
from support import nbrun
from support.courses import ASSIGNMENTS

pytestmark = pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)


@pytest.mark.slow
def test_solutions_run_top_to_bottom_in_a_kernel(assignment, monkeypatch):
    """A real kernel (nbclient), as a teacher running the source notebook would: no cell may fail."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = assignment.source()
    start = time.monotonic()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(assignment.source_path.parent)}}).execute()
    print(f"{assignment.name}: {time.monotonic() - start:.1f} s in a kernel")
    errors = [(cells.grade_id(c) or c.id, o.get("ename"), o.get("evalue"))
              for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"cells that fail with the solutions: {errors}"


def test_solutions_pass_every_graded_cell_when_autograded(assignment):
    """The same with NBGRADER_EXECUTION set (short training), in the fast runner. (What its cells cost is printed,
    beside ``bench.BUDGETS``, by ``bench``: it is not asserted here, the CPU time of one run doubled here from one
    hour to the next on an idle machine.)"""
    result = nbrun.run(assignment.source(), assignment.source_path.parent)
    print(f"{assignment.name}: {result.cpu_seconds:.2f} CPU seconds, budget {bench.BUDGETS.get(assignment.name)}")
    assert result.graded, "the notebook has no graded test cell"
    assert not result.failed(), f"graded cells that fail with the solutions: {result.failed()}"
    assert not [c for c in result.cells if not c.passed], [c.error for c in result.cells if not c.passed]
    # nbgrader reads a number that a graded cell displays as partial credit (and fails above the cell's
    # points): a test cell must end with a statement, not a value.
    shown = {gid: c.shown for gid, c in result.graded.items() if c.shown is not None}
    assert not shown, f"graded cells that display a value (nbgrader takes it for partial credit): {shown}"


def test_blank_release_earns_zero(assignment):
    """The release handed in untouched, with the hidden tests put back (as autograde does): every graded
    test cell fails."""
    view = nbrun.with_solutions(assignment.source(), assignment.release())
    result = nbrun.run(view, assignment.source_path.parent)
    passing = sorted(gid for gid, c in result.graded.items() if c.passed)
    assert not passing, f"graded cells that a blank notebook passes: {passing}"
    assert result.score() == 0


def test_release_runs_until_its_first_todo(assignment):
    """The release as a student opens it: every cell before the first TODO runs (nothing the student has not written
    yet is called there), and the first cell that fails is the TODO, or the check right after it, with the stub's
    NotImplementedError. (test_browser does the same in JupyterLab for one assignment, whose Run All stops there.)"""
    french = assignment.release_path.with_name(translate.edition_file(assignment.name, "fr"))
    editions = ["en"] + (["fr"] if french.is_file() else [])
    for language in editions:
        release = assignment.release(language)
        result = nbrun.run(release, assignment.release_path.parent)
        first_todo = next(i for i, c in enumerate(release.cells)
                          if c.cell_type == "code" and "raise NotImplementedError()" in c.source)
        failing = [c for c in result.cells if not c.passed]
        assert failing, f"the blank release ({language}) runs without an error: its TODOs raise nothing"
        assert failing[0].index >= first_todo and "NotImplementedError" in failing[0].error, (
            f"{language}: the first cell that fails is cell {failing[0].index} ({failing[0].error}); "
            f"the first TODO is cell {first_todo}")
