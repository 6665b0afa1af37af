"""tests/support/nbrun.py's snapshots (``run(..., resume_at=k)``): a run resumed at a cell gives what a run from the
top gives, no state passes from one resumed run to the next, and a run that hangs is stopped."""
from __future__ import annotations

import nbformat
import pytest

from autograder import cells
from support import nbrun
from support.courses import ASSIGNMENTS

REAL = next(a for a in ASSIGNMENTS if a.name.startswith("04"))


def _notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def _outcomes(result):
    return [(c.index, c.error, c.shown) for c in result.cells]


@pytest.mark.parametrize("path", sorted(REAL.variants.glob("softmax_cross_entropy*/*.py"))[:4], ids=lambda p: p.stem)
def test_a_resumed_run_is_a_run_from_the_top(path):
    source = REAL.source()
    name = path.parent.name
    original = next(c for c in source.cells if cells.is_autograded_solution(c) and cells.grade_id(c) == name)
    nb = nbrun.with_cell(source, name, nbrun.variant_source(original.source, path.read_text()))
    at = source.cells.index(original)
    until = max(i for i, c in enumerate(source.cells)
                if cells.is_autograded_test(c) and cells.grade_id(c).startswith(name))
    fresh = nbrun.run(nb, REAL.source_path.parent, until=until)
    resumed = nbrun.run(nb, REAL.source_path.parent, until=until, resume_at=at)
    assert _outcomes(resumed) == _outcomes(fresh)


def test_nothing_passes_from_one_resumed_run_to_the_next(tmp_path):
    prefix = ["import numpy as np\nx = 1\nrng = np.random.default_rng(0)"]
    first = nbrun.run(_notebook(*prefix, "x = 2\nimport numpy\nnumpy.zeros = None\nopen('left', 'w').close()\n"
                                "draw = rng.normal()\ndraw"), tmp_path, resume_at=1)
    second = nbrun.run(_notebook(*prefix, "assert x == 1, x\nassert callable(np.zeros)\ndraw = rng.normal()\ndraw"),
                       tmp_path, resume_at=1)
    assert [c.error for c in first.cells] == [None, None]
    assert [c.error for c in second.cells] == [None, None]
    assert first.cells[1].shown == second.cells[1].shown      # the same random state at the cell, every time
    assert (tmp_path / "left").is_file()                      # the folder is the notebook's own, as in a fresh run


def test_a_hanging_resumed_run_is_stopped_and_the_next_one_starts_again(tmp_path):
    prefix = ["y = 3"]
    with pytest.raises(TimeoutError):
        nbrun.run(_notebook(*prefix, "while True:\n    pass"), tmp_path, timeout=2, resume_at=1)
    again = nbrun.run(_notebook(*prefix, "y"), tmp_path, resume_at=1)
    assert again.cells[1].shown == "3" and again.cells[1].passed


def test_a_cell_that_kills_its_process_is_an_error_not_a_hang(tmp_path):
    with pytest.raises(RuntimeError, match="died"):
        nbrun.run(_notebook("z = 1", "import os\nos._exit(3)"), tmp_path, resume_at=1)
