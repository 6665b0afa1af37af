"""``grade --scheduler ADDRESS``: the running of each submission on a Dask distributed cluster.

The machine that runs ``python -m autograder grade`` (the client) still does everything that reads the course or
writes the gradebook, as it does locally (``grade.py``: prepare, then judge and record each submission in its main
thread). Only running the notebooks goes to the cluster: ``ClusterRunner`` is a ``runner.Runner``, and a worker
runs a submission with ``execute.run_submission``, as ``runner.LocalRunner`` does. A ``Work`` carries the prepared
notebooks (decoys planted) and the submission's files as bytes, so workers need no access to the course folder and
no shared storage, and no worker ever holds another submission than the ones it runs. A worker needs the course's Python
environment (this package, ``course``, ipykernel, numpy, matplotlib, nbclient) and bubblewrap; it sandboxes each
kernel exactly as local grading does, with the isolation settings the client sends, and grades as many submissions
at once as it has threads.

A worker that dies in the middle of a submission: the scheduler gives the task to another worker (Dask's own
rescheduling, at most ``distributed.scheduler.allowed-failures`` times, 3 by default); its result reaches the
client once, and only then is the submission recorded, so a submission is never in the gradebook twice.
"""
from __future__ import annotations

import os
import platform
import queue
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import settings
from .execute import SubmissionRun, run_submission
from .sandbox import Launcher, Mode, resolve
from .task import Task


@dataclass
class Work:
    """What a worker needs to run one submission."""
    student: str
    notebooks: list[tuple[str, dict | None]]     # (name, prepared notebook; None: could not be read, not run)
    files: list[tuple[str, bytes]]               # the submission's and the assignment's files: (name, content)
    grading: dict                                # settings.Grading values
    isolation: dict                              # settings.Isolation values


@dataclass
class Result(SubmissionRun):
    """What a worker sends back: the executions (``error``: the worker failed, not the submission), and where."""
    worker: str = ""                             # host and pid of the worker that ran it
    mode: Mode | str = ""                        # the sandbox it ran in
    log: list[str] = field(default_factory=list)


def values(configurable) -> dict:
    """The configurable settings of a traitlets object, as plain values (they travel to the workers)."""
    return {name: getattr(configurable, name) for name in configurable.traits(config=True)}


def work(task: Task, grading: settings.Grading, isolation: settings.Isolation) -> Work:
    """The ``Work`` of a prepared ``Task`` (its files read into memory)."""
    return Work(task.submission.student, task.to_run(),
                [(rel, Path(path).read_bytes()) for path, rel in task.files], values(grading), values(isolation))


# -- on a worker --------------------------------------------------------------------------------------------------
class _Worker:
    """Per worker process: the launcher (probed once), the slots (one per thread), a scratch folder."""

    def __init__(self, isolation: dict, slots: int):
        self.scratch = Path(tempfile.mkdtemp(prefix="autograder-worker-"))
        os.chmod(self.scratch, 0o711)
        self.log: list[str] = []
        self.launcher: Launcher = resolve(settings.Isolation(**isolation), self.scratch, log=self.log.append)
        self.slots: queue.Queue[int] = queue.Queue()
        for slot in range(slots):
            self.slots.put(slot)
        # a zygote per thread, alive as long as the worker process (their sandboxes die with it)
        self.launcher.warm_up(self.scratch, slots, log=self.log.append)


_WORKERS: dict[str, _Worker] = {}
_LOCK = threading.Lock()


def _worker(isolation: dict) -> _Worker:
    key = repr(sorted(isolation.items()))
    with _LOCK:
        if key not in _WORKERS:
            from distributed import get_worker
            _WORKERS[key] = _Worker(isolation, get_worker().state.nthreads)
        return _WORKERS[key]


def _write(files: list[tuple[str, bytes]], folder: Path) -> list[tuple[Path, str]]:
    out = []
    for rel, data in files:
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
            raise ValueError(f"refusing file name {rel!r}")
        path = folder.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out.append((path, rel))
    return out


def execute_work(job: Work) -> Result:
    """Run one submission's notebooks on this worker, each in its own sandboxed kernel (the task of the cluster)."""
    state = _worker(job.isolation)
    folder = Path(tempfile.mkdtemp(prefix="files-", dir=state.scratch))
    try:
        files = _write(job.files, folder)
        ran = run_submission(job.notebooks, files, state.launcher, state.slots, settings.Grading(**job.grading),
                             state.scratch, job.student)
    except Exception as error:      # the job could not be set up (a refused file name, a bad setting)
        ran = SubmissionRun([], error=f"{error.__class__.__name__}: {error}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Result(ran.executions, ran.seconds, ran.error, f"{platform.node()}:{os.getpid()}", state.launcher.mode,
                  log=list(state.log))


# -- on the client ------------------------------------------------------------------------------------------------
class ClusterRunner:
    """Sends each prepared submission to the cluster at ``address`` and hands back ``(task, executions)`` as they end:
    a ``runner.Runner``."""

    def __init__(self, address: str, grading: settings.Grading, isolation: settings.Isolation, log=print,
                 timeout: float = 30):
        from distributed import Client
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except OSError as error:   # no scheduler there, or not reachable from here
            raise RuntimeError(f"cannot reach the Dask scheduler at {address}: {error}") from error
        self.grading, self.isolation, self.log = grading, isolation, log
        self.tasks: dict[str, object] = {}
        self.modes: set[str] = set()
        self.log_seen: set[str] = set()        # worker warnings already shown (the sandbox banner, once)
        threads = self.client.nthreads()
        if not threads:
            self.client.close()
            raise RuntimeError(f"the cluster at {address} has no worker")
        self.capacity = sum(threads.values())
        self.description = (f"the cluster at {address}: {len(threads)} worker(s), {self.capacity} thread(s), "
                            f"sandbox: {isolation.mode} on each worker")

    def submit(self, task: Task):
        key = f"grade-{task.submission.student}-{task.submission.assignment}-{uuid.uuid4().hex[:8]}"
        future = self.client.submit(execute_work, work(task, self.grading, self.isolation), key=key, pure=False,
                                    retries=0)
        self.tasks[future.key] = task
        return future

    def wait(self, futures):
        from distributed import wait
        with self.client.as_current():
            done = wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done.done), set(done.not_done)

    def result(self, future):
        task = self.tasks.pop(future.key)
        try:
            result: Result = future.result()
        except Exception as error:      # the task could not run (workers kept dying, ...): retried next run
            task.outcome.error = f"the cluster could not run it: {error.__class__.__name__}: {error}"
            return task, []
        finally:
            future.release()
        task.outcome.seconds, task.outcome.worker = result.seconds, result.worker
        if result.error:
            task.outcome.error = f"worker {result.worker}: {result.error}"
        for line in result.log:
            if line not in self.log_seen:
                self.log_seen.add(line)
                self.log(f"[{result.worker}] {line}")
        self.modes.add(result.mode)
        return task, result.executions

    @property
    def mode(self) -> str:
        return "+".join(sorted(self.modes)) or "none ran"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()
