"""Run a notebook's code cells fast, in a forked child with a real IPython shell, and say which graded cells
failed and why. Used where many notebook variants must run (blank releases, wrong and right variants); the
slow tests also run every notebook in a real kernel (nbclient) and through nbgrader itself.

The child executes every code cell in order (like nbgrader, it goes on after an error) with
``NBGRADER_EXECUTION=autograde`` so training cells stay short, ``MPLBACKEND=Agg``, and the notebook's folder
as working directory.
"""
from __future__ import annotations

import copy
import json
import os
import select
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import cells as nbcells
from autograder import variants

# Imported before forking so that every child starts warm: what the notebooks' setup cells import (each child
# would otherwise import the course's widgets, ipywidgets and matplotlib's figure machinery again, a second each).
import numpy  # noqa: F401
import matplotlib

matplotlib.use("Agg")
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402

import course.data, course.gradcheck, course.graph, course.widgets  # noqa: E401, E402, F401


@dataclass
class CellResult:
    index: int
    grade_id: str | None
    points: float
    error: str | None  # "ExceptionType: message" or None when the cell ran cleanly
    shown: str | None = None  # repr of the value the cell displays (its last expression), if any

    @property
    def passed(self) -> bool:
        return self.error is None


@dataclass
class RunResult:
    cells: list[CellResult]
    output: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0        # the child's CPU time (user + system): the cells' own work, imports excepted
    graded: dict[str, CellResult] = field(init=False)

    def __post_init__(self):
        self.graded = {c.grade_id: c for c in self.cells if c.grade_id is not None and c.points > 0}

    def failed(self, prefix: str = "") -> dict[str, str]:
        return {gid: c.error for gid, c in self.graded.items() if gid.startswith(prefix) and not c.passed}

    def score(self) -> float:
        return sum(c.points for c in self.graded.values() if c.passed)


def run(nb, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None,
        until: int | None = None) -> RunResult:
    """Execute the code cells of ``nb`` in a forked child; results for every code cell (up to the cell at index
    ``until``, included, when given: what comes after a cell cannot change how it ran)."""
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and (until is None or i <= until)]
    graded_points = {i: nbcells.points(c) if nbcells.is_autograded_test(c) else 0.0 for i, c in code}
    read_fd, write_fd = os.pipe()
    log = tempfile.TemporaryFile()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(read_fd)
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            sys.stdout = sys.stderr = open(1, "w", closefd=False)
            os.chdir(cwd)
            os.environ.update({"NBGRADER_EXECUTION": "autograde", "MPLBACKEND": "Agg", **(env or {})})
            errors = _execute([c.source for _, c in code])
            os.write(write_fd, json.dumps(errors).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    data, deadline = b"", start + timeout
    try:
        while True:
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise TimeoutError(f"the notebook did not finish in {timeout} s")
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(read_fd)
        _, _, usage = os.wait4(pid, 0)
    log.seek(0)
    output = log.read().decode(errors="replace")
    if not data:
        raise RuntimeError(f"the notebook's process died; its output ended with:\n{output[-3000:]}")
    outcomes = json.loads(data)
    results = [CellResult(i, nbcells.grade_id(c), graded_points[i], error, shown)
               for (i, c), (error, shown) in zip(code, outcomes)]
    return RunResult(results, output, time.monotonic() - start, usage.ru_utime + usage.ru_stime)


def _execute(sources: list[str]) -> list[tuple[str | None, str | None]]:
    """(error, shown) for each cell: the exception it raised, the value it displayed."""
    shell = InteractiveShell.instance()
    outcomes = []
    for source in sources:
        result = shell.run_cell(source, store_history=False, silent=False)
        exc = result.error_before_exec or result.error_in_exec
        shown = None if result.result is None else repr(result.result)[:200]
        outcomes.append((None if exc is None else f"{type(exc).__name__}: {exc}", shown))
    return outcomes


headers = variants.headers
variant_source = variants.variant_source
with_cell = variants.with_cell


def with_solutions(nb, answers_nb):
    """A copy of ``nb`` whose solution cells (matched by grade_id) have the sources they have in ``answers_nb``.

    ``with_solutions(source, release)`` is what nbgrader's autograde runs for a student who handed in the
    release unchanged (the tests, hidden part included, come from the source); ``with_solutions(release,
    source)`` is a release solved with the reference answers."""
    nb = copy.deepcopy(nb)
    answers = {nbcells.grade_id(c): c.source for c in answers_nb.cells if nbcells.is_solution(c)}
    for cell in nb.cells:
        if nbcells.is_solution(cell):
            cell.source = answers[nbcells.grade_id(cell)]
    return nb


def read(path: Path):
    return nbformat.read(path, as_version=4)
