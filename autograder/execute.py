"""Run one prepared notebook in a sandboxed kernel and report, cell by cell, what the kernel answered.

``execute`` is the only place a student's code runs. It never raises for something the submission did: a kernel
that dies, a cell that never ends (and ignores interrupts), a flood of output, a kernel that does not start --
each ends the run with a one-line ``reason`` and leaves the cells that did not run marked ``"not run"``.
``run_submission`` executes each notebook of one submission in turn, for both runners (``runner.LocalRunner`` on
this machine, ``cluster`` on a Dask worker).

It talks to the kernel with jupyter_client's asynchronous manager over the ``ipc`` transport (sockets in the
job's runtime folder: the kernel has no network), with a hard timeout around the whole notebook (a dead kernel
can otherwise hang a synchronous client forever).
"""
from __future__ import annotations

import asyncio
import json
import queue
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

import nbformat
import zmq
from traitlets import Type
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from . import cells, i18n
from .i18n import _
from .sandbox import Launcher, matplotlib_cache
from .settings import Grading

NOT_RUN = "not run"
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error", "update_display_data"}
POLL = 0.005                        # seconds between two looks at a kernel being stopped (jupyter_client: 0.1)
RECONNECT_MS = 5                    # between two attempts to reach a kernel's sockets (ZeroMQ's default: 100)


@dataclass
class Execution:
    notebook: nbformat.NotebookNode
    status: list[str | None]            # per cell: "ok", "error", "not run" (None for markdown)
    reason: str | None = None           # why the run stopped early, for the student and the teacher
    seconds: float = 0.0
    killed: list[int] = field(default_factory=list)   # processes left by the kernel and killed afterwards
    kernel_log: str = ""
    phases: dict[str, float] = field(default_factory=dict)   # seconds spent in each step (PHASES), for bench


# The steps of ``execute``, in order, as ``Execution.phases`` names them. "imports" is the notebook's first code cell
# (where every notebook of the course imports numpy, matplotlib and the course), "cells" the others.
PHASES = ("folder", "kernel start", "imports", "cells", "shutdown", "sweep")


class CappedClient(NotebookClient):
    """nbclient with a cap on the output a cell may keep, and a record of each cell's reply."""

    def __init__(self, nb, max_output_bytes: int, **kwargs):
        super().__init__(nb, **kwargs)
        self.max_output_bytes = max_output_bytes
        self.output_bytes: dict[int, int] = {}
        self.status: dict[int, str] = {}
        self.current: int | None = None

    def process_message(self, msg, cell, cell_index):
        if msg["msg_type"] in OUTPUT_TYPES:
            size = len(json.dumps(msg["content"]))
            used = self.output_bytes.get(cell_index, 0)
            self.output_bytes[cell_index] = used + size
            if used + size > self.max_output_bytes:
                if used <= self.max_output_bytes:
                    cell.outputs.append(nbformat.v4.new_output(
                        "stream", name="stderr",
                        text="\n" + _("[autograder: output cut here, the cell printed more than {kb} kB]").format(
                            kb=self.max_output_bytes // 1024) + "\n"))
                    self.output_bytes[cell_index] = self.max_output_bytes + 1
                if msg["msg_type"] != "error":
                    return None
        return super().process_message(msg, cell, cell_index)


def _label(cell, index: int) -> str:
    grade_id = cells.grade_id(cell)
    return _("cell `{name}`").format(name=grade_id) if grade_id else _("cell {number}").format(number=index + 1)


class _Client(AsyncKernelClient):
    """jupyter_client's client, whose ``wait_for_ready`` does not end by reading IOPub until 0.2 s pass without a
    message: every notebook waited those 0.2 s. What it would have read (the kernel's busy and idle for
    kernel_info) stays queued, and nbclient passes over it: it takes only the messages whose parent is the cell it
    runs."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        # jupyter_client 8's loop (KernelClient._async_wait_for_ready, for a client its manager made), but that flush
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:   # a message on IOPub (its welcome, the busy of kernel_info): IOPub is connected
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


class _Manager(AsyncKernelManager):
    """A kernel manager whose kernel clients use its own ZeroMQ context, destroyed (with every socket on it) when
    the run ends. Before, each run left its client's channels running (a heartbeat thread) and its context open:
    about a dozen file descriptors and a thread per submission, until a process grading a class ran out of them
    (``select()`` fails above descriptor 1024).

    The client's sockets try to reach the kernel's every ``RECONNECT_MS``: they connect as soon as the kernel process
    is started, before the kernel has bound its sockets, and ZeroMQ's 100 ms between two attempts made every
    notebook wait about 0.1 s more (a warm kernel answers 0.05 s after its fork). Its clients are ``_Client``."""

    client_factory = Type(_Client, klass=AsyncKernelClient)

    def _context_default(self):
        context = super()._context_default()
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
        return context

    def client(self, **kwargs):
        kwargs.setdefault("context", self.context)
        return super().client(**kwargs)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # jupyter_client polls a killed kernel every 0.1 s: the first poll, right after the kill, always finds it
        # alive, so every notebook paid 0.1 s of sleep to learn that its kernel had died a millisecond later.
        await super()._async_wait(pollinterval=min(pollinterval, POLL))

    def release(self) -> None:
        if not self.context.closed:
            self.context.destroy(linger=0)


async def _execute(nb, launcher: Launcher, job, grading: Grading) -> Execution:
    execution = Execution(notebook=nb, status=[NOT_RUN if c.cell_type == "code" else None for c in nb.cells])
    ksm = KernelSpecManager(kernel_dirs=[str(launcher.kernelspec(job))])
    km = _Manager(kernel_name="sandboxed", kernel_spec_manager=ksm, transport="ipc", ip=str(job.runtime / "kernel"))
    km.connection_file = str(job.runtime / "kernel.json")
    km.write_connection_file()
    launcher.hand_over(job, Path(km.connection_file))
    client = CappedClient(nb, max_output_bytes=grading.max_output_kb * 1024, km=km,
                          timeout=grading.cell_timeout, startup_timeout=int(grading.startup_timeout),
                          allow_errors=True, interrupt_on_timeout=False, record_timing=False,
                          resources={"metadata": {"path": str(job.work)}})

    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    clock = {"cell": 0.0}

    def started(cell, cell_index, **_):
        client.current = cell_index
        if not execution.phases:
            execution.phases["kernel start"] = time.monotonic() - start
        clock["cell"] = time.monotonic()

    def finished(cell, cell_index, execute_reply, **_):
        execution.status[cell_index] = (execute_reply or {}).get("content", {}).get("status", "error")
        phase = "imports" if cell_index == first_code else "cells"
        execution.phases[phase] = execution.phases.get(phase, 0.0) + time.monotonic() - clock["cell"]

    client.on_cell_execute = started
    client.on_cell_executed = finished
    log_path = job.base / "kernel.log"
    start = time.monotonic()
    with open(log_path, "wb") as log:
        try:
            await km.start_kernel(stdout=log, stderr=log, cwd=str(job.work))
            await asyncio.wait_for(client.async_execute(), grading.notebook_timeout)
        except CellTimeoutError:
            execution.reason = _("{cell} was still running after {seconds:g} s and was stopped; the cells after it "
                                 "were not run").format(cell=_label(nb.cells[client.current], client.current),
                                                        seconds=grading.cell_timeout)
        except (asyncio.TimeoutError, TimeoutError):
            execution.reason = (_("the notebook did not finish within {seconds:g} s").format(
                seconds=grading.notebook_timeout) if client.current is None else
                _("the notebook did not finish within {seconds:g} s (stopped in {cell})").format(
                    seconds=grading.notebook_timeout, cell=_label(nb.cells[client.current], client.current)))
        except DeadKernelError:
            execution.reason = _death(km, nb, client.current)
        except RuntimeError as error:   # the kernel died before answering kernel_info
            if "died" not in str(error) and "kernel_info" not in str(error):
                raise
            execution.reason = _("the kernel did not start: {log}").format(log=_tail(log_path))
        finally:
            execution.seconds = time.monotonic() - start
            stopping = time.monotonic()
            if client.kc is not None:   # nbclient leaves running the channels of a client it did not start a
                client.kc.stop_channels()   # kernel for; stopped before the kernel's shutdown closes their sockets
            try:
                await asyncio.wait_for(km.shutdown_kernel(now=True), 10)
            except Exception:   # already dead, or not started
                pass
            km.release()
            swept = time.monotonic()
            execution.phases["shutdown"] = swept - stopping
            execution.killed = launcher.sweep(job)
            execution.phases["sweep"] = time.monotonic() - swept
    if client.current is not None and execution.status[client.current] == NOT_RUN and execution.reason:
        execution.status[client.current] = "error"
    execution.kernel_log = _tail(log_path, 2000)
    return execution


def _death(km, nb, index) -> str:
    process = getattr(getattr(km, "provisioner", None), "process", None)
    code = process.poll() if process is not None else None
    how = "" if code is None else (_(" (killed by signal {signal})").format(signal=-code) if code < 0 else
                                   _(" (exit status {code})").format(code=code))
    if index is None:
        return _("the kernel stopped{how}; the cells after it were not run").format(how=how)
    return _("the kernel stopped while running {cell}{how}; the cells after it were not run").format(
        cell=_label(nb.cells[index], index), how=how)


def _tail(path: Path, limit: int = 300) -> str:
    try:
        return path.read_text(errors="replace").strip()[-limit:]
    except OSError:
        return ""


def copy_files(files: list[tuple[Path, str]], dest: Path) -> None:
    """Copy ``files`` ((path, name in the folder) pairs) into the sandbox's working folder."""
    for path, rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / rel)


def execute(nb, files: list[tuple[Path, str]], launcher: Launcher, slot: int, grading: Grading, scratch: Path,
            name: str = "job") -> Execution:
    """Run ``nb`` (modified in place) in a fresh sandboxed kernel whose working folder holds a copy of ``files``
    ((path, name in the folder) pairs). Blocking; safe to call from several threads at once (each call has its
    own event loop and kernel)."""
    start = time.monotonic()
    job = launcher.make_job(scratch, slot, name)
    try:
        copy_files(files, job.work)
        launcher.hand_over(job, job.work)
        matplotlib_cache(job.runtime / "matplotlib")
        launcher.hand_over(job, job.runtime / "matplotlib")
        ready = time.monotonic()
        execution = asyncio.run(_execute(nb, launcher, job, grading))
    finally:
        removing = time.monotonic()
        shutil.rmtree(job.base, ignore_errors=True)
    execution.phases["folder"] = ready - start + time.monotonic() - removing
    return execution


@dataclass
class SubmissionRun:
    """What running one submission's notebooks gave."""
    executions: list[Execution | None]  # one per notebook, None for one that could not be read
    seconds: float = 0.0
    error: str | None = None            # the grader failed (not the submission): nothing to record


def run_submission(notebooks: list[tuple[str, object]], files: list[tuple[Path, str]], launcher: Launcher,
                   slots: queue.Queue[int], grading: Grading, scratch: Path, student: str) -> SubmissionRun:
    """``execute`` each of one submission's ``(name, notebook)`` pairs in turn (a None notebook, one that could not
    be read, is not run), once one of ``slots`` is free. Never raises: a failure of the grader is the ``error``."""
    slot = slots.get()
    start = time.monotonic()
    try:
        executions = []
        for name, nb in notebooks:
            if nb is None:
                executions.append(None)
                continue
            with i18n.speaking(i18n.notebook_language(nb)):   # the student's language
                executions.append(execute(nb, files, launcher, slot, grading, scratch, name=f"{student}-{name}"[:60]))
        return SubmissionRun(executions, time.monotonic() - start)
    except Exception as error:   # a failure of the grader, not of the submission
        return SubmissionRun([], time.monotonic() - start, f"{error.__class__.__name__}: {error}")
    finally:
        slots.put(slot)
