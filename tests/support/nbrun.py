"""Run a notebook's code cells fast, in a forked child with a real IPython shell, and say which graded cells
failed and why. Used where many notebook variants must run (blank releases, wrong and right variants); the
slow tests also run every notebook in a real kernel (nbclient) and through nbgrader itself.

The child executes every code cell in order (like nbgrader, it goes on after an error) with
``NBGRADER_EXECUTION=autograde`` so training cells stay short, ``MPLBACKEND=Agg``, and the notebook's folder
as working directory.

``run(..., resume_at=k)`` runs the cells before k once per test process and keeps that shell (a ``_Snapshot``):
the variants of one cell each start from there instead of from the top (tests/test_nbrun.py checks that it gives
the same outcomes and that nothing passes from one variant to the next).
"""
from __future__ import annotations

import contextlib
import copy
import json
import os
import select
import signal
import socket
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
        until: int | None = None, resume_at: int | None = None) -> RunResult:
    """Execute the code cells of ``nb`` in a forked child; results for every code cell (up to the cell at index
    ``until``, included, when given: what comes after a cell cannot change how it ran).

    ``resume_at``: the cells before this index have run before, in this process, with the same sources, folder and
    environment (many variants of one cell): they are not run again. The child is forked from a process kept after
    running them (``_Snapshot``), so it starts in the state a run from the top reaches there. ``cpu_seconds`` is
    then that of the cells from ``resume_at`` on."""
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and (until is None or i <= until)]
    graded_points = {i: nbcells.points(c) if nbcells.is_autograded_test(c) else 0.0 for i, c in code}
    if resume_at is not None:
        return _resumed(code, graded_points, cwd, timeout, env, resume_at)
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
            _enter(cwd, env)
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


def _enter(cwd: Path, env: dict[str, str] | None) -> None:
    """What a child does before its first cell: the notebook's folder, nbgrader's environment."""
    os.chdir(cwd)
    os.environ.update({"NBGRADER_EXECUTION": "autograde", "MPLBACKEND": "Agg", **(env or {})})


class _Snapshot:
    """A child that ran the first cells of a notebook (``sources``) and waits, stopped there. Each ``run`` forks
    it: the grandchild runs the rest of a notebook from that state and writes its outcomes to a file, while the
    snapshot waits for it and sends back its CPU time. The snapshot leads its own process group (killed whole on
    a timeout) and ends when its socket closes (``close``, or the end of this process)."""

    def __init__(self, sources: list[str], cwd: Path, env: dict[str, str] | None, others: list["_Snapshot"]):
        self.log = tempfile.NamedTemporaryFile(prefix="nbrun-prefix-", suffix=".log")
        mine, theirs = socket.socketpair()
        self.pid = os.fork()
        if self.pid == 0:   # the snapshot
            try:
                os.setpgid(0, 0)
                mine.close()
                for other in others:            # so that they still end when their own client closes them
                    other.sock.close()
                _redirect(self.log.name)
                _enter(cwd, env)
                _send(theirs, {"outcomes": _execute(sources)})
                while (request := _receive(theirs)) is not None:
                    pid = os.fork()
                    if pid == 0:
                        try:
                            _redirect(request["log"])
                            Path(request["out"]).write_text(json.dumps(_execute(request["sources"])))
                        finally:
                            os._exit(0)
                    _, _, usage = os.wait4(pid, 0)
                    _send(theirs, {"cpu": usage.ru_utime + usage.ru_stime})
            finally:
                os._exit(0)
        theirs.close()
        self.sock = mine
        self.outcomes = None

    def prefix(self, timeout: float) -> list:
        """The outcomes of the first cells, once they have run."""
        if self.outcomes is None:
            answer = self._answer(timeout)
            self.outcomes = answer["outcomes"]
        return self.outcomes

    def run(self, sources: list[str], timeout: float) -> tuple[list, float, str]:
        """(outcomes, CPU seconds, output) of ``sources`` run from the snapshot's state."""
        with tempfile.TemporaryDirectory(prefix="nbrun-") as folder:
            out, log = Path(folder) / "outcomes.json", Path(folder) / "output.log"
            log.touch()
            _send(self.sock, {"sources": sources, "out": str(out), "log": str(log)})
            cpu = self._answer(timeout)["cpu"]
            output = log.read_text(errors="replace")
            if not out.is_file():
                raise RuntimeError(f"the notebook's process died; its output ended with:\n{output[-3000:]}")
            return json.loads(out.read_text()), cpu, output

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def _answer(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.sock], [], [], timeout)
        answer = _receive(self.sock) if ready else None
        if answer is None:
            self.close()
            raise TimeoutError(f"the notebook did not finish in {timeout} s") if not ready else RuntimeError(
                f"the notebook's process died; its output ended with:\n{self.output()[-3000:]}")
        return answer

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.log.close()


_SNAPSHOTS: dict[tuple, _Snapshot] = {}    # the newest last; at most _KEPT
_KEPT = 3


def _resumed(code, graded_points, cwd: Path, timeout: float, env, resume_at: int) -> RunResult:
    start = time.monotonic()
    before = [c.source for i, c in code if i < resume_at]
    key = (str(cwd), json.dumps(env or {}, sort_keys=True), tuple(before))
    snapshot = _SNAPSHOTS.pop(key, None)
    if snapshot is None:
        while len(_SNAPSHOTS) >= _KEPT:
            _SNAPSHOTS.pop(next(iter(_SNAPSHOTS))).close()
        snapshot = _Snapshot(before, cwd, env, list(_SNAPSHOTS.values()))
    try:
        first = snapshot.prefix(timeout)
        rest, cpu, output = snapshot.run([c.source for i, c in code if i >= resume_at],
                                         max(1.0, timeout - (time.monotonic() - start)))
    except BaseException:
        snapshot.close()
        raise
    _SNAPSHOTS[key] = snapshot
    results = [CellResult(i, nbcells.grade_id(c), graded_points[i], error, shown)
               for (i, c), (error, shown) in zip(code, first + rest)]
    return RunResult(results, snapshot.output() + output, time.monotonic() - start, cpu)


def _redirect(path: str) -> None:
    """This process's stdout and stderr, Python's and the file descriptors, appended to ``path``."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = sys.stderr = open(1, "w", closefd=False)


def _send(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message).encode()
    sock.sendall(len(data).to_bytes(8, "big") + data)


def _receive(sock: socket.socket) -> dict | None:
    """The next message, or None when the other end closed."""
    def exactly(n: int) -> bytes | None:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data
    size = exactly(8)
    body = None if size is None else exactly(int.from_bytes(size, "big"))
    return None if body is None else json.loads(body)


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
