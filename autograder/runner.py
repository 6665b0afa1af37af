"""Step 2 of grading a submission: where its notebooks run. ``grade`` hands prepared ``Task``s to a ``Runner`` and
takes back ``(task, executions)`` as they end; the runner is this machine (``LocalRunner``: worker threads, each kernel
in its own sandbox) or a Dask cluster (``cluster.ClusterRunner``). Both run a submission with
``execute.run_submission``.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import queue
import shutil
import tempfile
from pathlib import Path
from typing import Any, Protocol

from . import settings
from .execute import Execution, run_submission
from .sandbox import resolve
from .task import Task


class Runner(Protocol):
    """What ``grade``'s loop needs of the place that runs the notebooks."""
    capacity: int          # submissions it runs at once
    description: str       # where the notebooks run, for the log

    @property
    def mode(self) -> str:
        """The sandbox the notebooks ran in."""

    def submit(self, task: Task) -> Any:
        """Start running ``task``; a future to ``wait`` for."""

    def wait(self, futures: set) -> tuple[set, set]:
        """(done, not done) of ``futures``, once at least one is done."""

    def result(self, future) -> tuple[Task, list[Execution | None]]:
        """The task of a done ``future`` and its executions (empty, with ``task.outcome.error`` set, when the grader
        failed); ``task.outcome`` gets the time it took and where it ran."""

    def __enter__(self) -> Runner: ...

    def __exit__(self, *exc) -> None: ...


class LocalRunner:
    """Runs prepared submissions on this machine, ``capacity`` at once, each kernel in its own sandbox (forked from
    its worker's zygote when warm kernels can run here: ``Launcher.warm_up``)."""

    def __init__(self, grading: settings.Grading, isolation: settings.Isolation, log=print):
        self.capacity = grading.workers or os.cpu_count() or 1
        self.grading = grading
        self.scratch = Path(tempfile.mkdtemp(prefix="autograder-"))
        os.chmod(self.scratch, 0o711)
        try:
            self.launcher = resolve(isolation, self.scratch, log=log)
        except BaseException:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        self.mode = self.launcher.mode
        self.description = f"this machine with {self.capacity} worker(s), sandbox: {self.mode}"
        self.slots: queue.Queue[int] = queue.Queue()
        for slot in range(self.capacity):
            self.slots.put(slot)
        self.pool = cf.ThreadPoolExecutor(max_workers=self.capacity)
        self.log = log

    def _run(self, task: Task) -> tuple[Task, list[Execution | None]]:
        ran = run_submission(task.to_run(), task.files, self.launcher, self.slots, self.grading, self.scratch,
                             task.submission.student)
        task.outcome.seconds = ran.seconds
        if ran.error:
            task.outcome.error = ran.error
        return task, ran.executions

    def submit(self, task: Task):
        # the zygotes start with the first submission (a run that grades nothing starts none)
        self.launcher.warm_up(self.scratch, self.capacity, self.log)
        return self.pool.submit(self._run, task)

    def wait(self, futures):
        return cf.wait(futures, return_when=cf.FIRST_COMPLETED)

    def result(self, future):
        return future.result()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.pool.shutdown(wait=True)
        self.launcher.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def open_runner(scheduler: str | None, grading: settings.Grading, isolation: settings.Isolation, log) -> Runner:
    """The cluster at ``scheduler``, else this machine."""
    if scheduler:
        from .cluster import ClusterRunner   # imports distributed: only when asked for
        return ClusterRunner(scheduler, grading, isolation, log=log)
    return LocalRunner(grading, isolation, log=log)
