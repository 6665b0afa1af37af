"""Running one notebook (autograder/execute.py): each run gives back what it took, also when a cell times out or
the kernel dies."""
from __future__ import annotations

import os
import threading

import nbformat
import pytest

from autograder import execute, sandbox, settings
from support.courses import REPO


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.slow
def test_running_notebooks_leaves_no_descriptor_or_thread_behind(tmp_path):
    """A process grades a whole class (a Dask worker, hundreds): each run must give back its sockets, ZeroMQ
    context and heartbeat thread, also when a cell times out or the kernel dies. Before, each run kept about a
    dozen descriptors and a thread, and the test suite's processes hit select()'s limit of 1024."""
    grading, box = settings.load(REPO, cell_timeout=2)
    scratch = tmp_path / "scratch"
    scratch.mkdir(mode=0o711)
    launcher = sandbox.resolve(box, scratch)
    code = {"ends": "x = 1", "times out": "import time\ntime.sleep(30)", "dies": "import os\nos._exit(3)"}
    runs = []

    def run_all():
        for source in code.values():
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
            runs.append(execute.execute(nb, [], launcher, 0, grading, scratch))

    run_all()                                     # imports, caches: whatever is created once
    before, threads = _open_descriptors(), threading.active_count()
    for _ in range(3):
        run_all()
    assert [r.status for r in runs[-3:]] == [["ok"], ["error"], ["error"]], [r.reason for r in runs[-3:]]
    assert (_open_descriptors(), threading.active_count()) == (before, threads)
