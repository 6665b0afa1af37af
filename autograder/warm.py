"""Warm kernels, the grader's side: one zygote (``zygote.py``: a fork server that imported the kernel and the
course's libraries once) per worker slot, and the kernel command that asks it for a kernel.

``Zygotes`` starts every zygote in the background when grading starts (each imports for about a second while the
first submissions are prepared), then checks each once: a probe kernel, forked and sandboxed like every other,
reports what a kernel's code finds (its uid, capabilities, seccomp, limits, pid namespace, /tmp, network,
environment, what it can see of the zygote and of other jobs), and the zygote is used only when every answer is
the one required (``_check``). A zygote that cannot start, fails a check, printed anything while importing or died
since: its worker's kernels start cold, as before, and the log says why, once. A job whose working folder would
shadow a preloaded module gets a cold kernel too (``shadowing``).

The zygotes' processes are started by one thread that lives until ``close``: bubblewrap's ``--die-with-parent``
ends a sandbox when the thread that started it ends, and the zygotes must outlive the worker thread that asked first.
"""
from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import zygote, zygote_client
from .sandbox import Job, Launcher, Mode, _readonly_trees, kernel_environment, matplotlib_cache, sweep


def problem(launcher: Launcher, scratch: Path) -> str | None:
    """Why zygotes cannot keep every guarantee of ``launcher``'s sandbox here (None: they can)."""
    if launcher.mode != Mode.BWRAP:
        return f"they need the bwrap sandbox (this one is {launcher.mode})"
    if not launcher.as_root:
        return ("they need the grader to run as root (the zygote builds each kernel's namespaces and drops it to "
                "the worker's uid)")
    scratch = scratch.resolve()
    for tree in _readonly_trees():   # one under /tmp is bound again over each kernel's fresh /tmp (in_tmp)
        if tree.is_relative_to(scratch):
            return f"{tree} is under {scratch}, which each kernel gets fresh"
    if not scratch.is_relative_to("/tmp") and (scratch.parent == Path("/") or any(
            scratch.is_relative_to(tree) for tree in [Path("/usr"), *_readonly_trees()])):
        return f"their scratch folder {scratch} must be in /tmp or in a folder of its own"
    if not hasattr(os, "pidfd_open"):
        return "this system has no pidfd_open"
    if os.uname().machine not in ("x86_64", "aarch64"):
        return f"their seccomp filter knows x86_64 and aarch64, not {os.uname().machine}"
    return None


def in_tmp() -> list[str]:
    """The read-only trees of the sandbox (the venv, the course package...) under /tmp, as a clone that CI or a
    teacher made there: each kernel's fresh /tmp would hide them, so the kernel binds them again, read-only, over it
    (zygote._mounts)."""
    return [str(t) for t in _readonly_trees() if t.is_relative_to(Path("/tmp").resolve())]


def shadowing(work: Path, modules: set[str]) -> str | None:
    """The entry of ``work`` (a kernel's working folder, first on its ``sys.path`` and where matplotlib looks for a
    ``matplotlibrc`` when imported) that a kernel started cold would import instead of a module the zygote
    preloaded, or read; None when there is none."""
    suffixes = importlib.machinery.all_suffixes()
    for entry in sorted(work.iterdir()):
        name = entry.name
        if name == "matplotlibrc" or (entry.is_dir() and name in modules):
            return name
        if any(name.endswith(suffix) and name[:-len(suffix)] in modules for suffix in suffixes):
            return name
    return None


class _Zygote:
    """One worker slot's zygote: its folder (socket, log, copy of zygote.py, matplotlib's cache; only root enters),
    its bubblewrap process and what its probe found."""

    def __init__(self, slot: int, folder: Path):
        self.slot, self.folder = slot, folder
        self.socket = folder / zygote.SOCKET_NAME
        self.marker = f"{os.getpid()}-zygote-{slot}"
        self.process: subprocess.Popen | None = None
        self.ready = threading.Event()
        self.problem: str | None = "not started"
        self.modules: set[str] = set()


class Zygotes:
    """The zygotes of one grading process, one per worker slot (``launcher``'s uid of that slot, its limits)."""

    def __init__(self, launcher: Launcher, scratch: Path, slots: int, log=print, timeout: float = 60):
        self.launcher, self.scratch, self.log, self.timeout = launcher, scratch, log, timeout
        self.logged: set[str] = set()
        self.lock = threading.Lock()
        self.zygotes = {slot: _Zygote(slot, Path(tempfile.mkdtemp(prefix=f"zygote-{slot}-", dir=scratch)))
                        for slot in range(slots)}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._keep, name="zygotes", daemon=True)
        self.thread.start()

    # -- the thread that owns the zygotes -----------------------------------------------------------------------------
    def _keep(self) -> None:
        for z in self.zygotes.values():
            try:
                self._start(z)
            except Exception as error:
                z.problem = f"the zygote could not start: {error.__class__.__name__}: {error}"
        for z in self.zygotes.values():
            if z.process is not None:
                try:
                    z.problem = self._settle(z)
                except Exception as error:
                    z.problem = f"the zygote's probe failed: {error.__class__.__name__}: {error}"
            z.ready.set()
        self.stopping.wait()
        for z in self.zygotes.values():
            self._stop(z)

    def _start(self, z: _Zygote) -> None:
        shutil.copyfile(zygote.__file__, z.folder / "zygote.py")
        matplotlib_cache(z.folder / "matplotlib")
        config = {"socket": str(z.socket), "imports_log": str(z.folder / "imports.log"),
                  "scratch": str(self.scratch), "uid": self.launcher.uid(z.slot),
                  "limits": self.launcher.rlimits(), "tmp_bytes": self.launcher.isolation.tmp_mb << 20,
                  "tmp_trees": in_tmp()}
        argv = self.launcher.zygote_argv(z.folder, self.scratch, z.marker, config)
        with open(z.folder / "zygote.log", "wb") as log:
            z.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=z.folder)

    def _settle(self, z: _Zygote) -> str | None:
        """Wait for ``z`` to listen, run its probe kernel; what is wrong (None: it may fork kernels)."""
        deadline = time.monotonic() + self.timeout
        while not z.socket.exists():
            if self.stopping.is_set():
                return "grading ended before the zygote was ready"
            if z.process.poll() is not None:
                return f"the zygote exited ({z.process.returncode}): {self._log_of(z)}"
            if time.monotonic() > deadline:
                return f"the zygote was not ready after {self.timeout:g} s"
            time.sleep(0.02)
        job = self.launcher.make_job(self.scratch, z.slot, "probe")
        neighbour = self.launcher.make_job(self.scratch, z.slot, "neighbour")
        try:
            result, infos, problem = self._probe(z, job, [z.socket, z.folder, neighbour.base])
            if problem:
                return problem
            printed = (z.folder / "imports.log").read_text(errors="replace").strip()
            if printed:
                return f"the zygote's imports printed {printed[-300:]!r} (a cold kernel's first cell would show it)"
            z.modules = set(result["modules"])
            return self._check(z, job, result, infos)
        finally:
            for j in (job, neighbour):
                sweep(j.marker, self.launcher.uid(z.slot))
                shutil.rmtree(j.base, ignore_errors=True)

    def _probe(self, z: _Zygote, job: Job, hidden: list[Path]) -> tuple[dict, list[dict], str | None]:
        out, err = job.base / "probe.out", job.base / "probe.err"
        request = self.request(job, kernel_environment(job.marker, job), probe=True, hidden=[str(p) for p in hidden])
        with open(os.devnull, "rb") as stdin, open(out, "wb") as stdout, open(err, "wb") as stderr:
            code, infos, problem = zygote_client.ask(str(z.socket), request, "", (stdin.fileno(), stdout.fileno(),
                                                                              stderr.fileno()), self.timeout)
        if problem or code != 0:
            return {}, [], f"the probe kernel failed ({problem or f'exit {code}'}): {err.read_text()[-500:]}"
        return json.loads(out.read_text()), [json.loads(i) for i in infos], None

    def _check(self, z: _Zygote, job: Job, found: dict, infos: list[dict]) -> str | None:
        """What the probe kernel found that differs from what a kernel must find (None: nothing)."""
        uid = self.launcher.uid(z.slot)
        status = found["status"]
        # /tmp holds the job's folders and the read-only trees under /tmp (in_tmp), nothing else
        tmp_top = sorted({str(Path(p).relative_to("/tmp")).split("/")[0] for p in [job.base, *in_tmp()]
                          if Path(p).is_relative_to("/tmp")})
        required = {
            "uid, gid, groups": (status["Uid"].split() + status["Gid"].split() + status["Groups"].split(),
                                 [str(uid)] * 8),
            "capabilities": ([status[k] for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")],
                             ["0000000000000000"] * 5),
            "no_new_privs, seccomp": ((status["NoNewPrivs"], status["Seccomp"]), ("1", "2")),
            "keyring blocked": (found["keyctl"], [-1, 1]),
            "pid namespace": ((found["pid"], found["pids"]), (2, [1, 2])),
            "fresh /tmp": ((sorted(found["tmp"]), found["tmp_bytes"]), (tmp_top, self.launcher.isolation.tmp_mb << 20)),
            "working folder": (found["cwd"], str(job.work)),
            "environment": (found["env"], {**kernel_environment(job.marker, job), **found["imported_environ"],
                                           "PWD": str(job.work)}),
            "network": ((found["net"], found["unix_sockets"], found["loopback"]), (["lo"], 0, True)),
            "limits": (found["limits"], self.launcher.rlimits()),
            "zygote and other jobs hidden": (sorted(p for p, seen in found["visible"].items() if seen), []),
            "zygote not dumpable": ([i.get("zygote_dumpable") for i in infos], [0]),
        }
        wrong = [f"{what}: {got!r}, not {want!r}" for what, (got, want) in required.items()
                 if json.loads(json.dumps(got)) != json.loads(json.dumps(want))]
        return "the probe kernel found " + "; ".join(wrong) if wrong else None

    def _stop(self, z: _Zygote) -> None:
        if z.process is not None and z.process.poll() is None:
            z.process.kill()            # bubblewrap's sandbox, and every kernel forked in it, ends with it
        if z.process is not None:
            z.process.wait()
        sweep(z.marker, None)
        shutil.rmtree(z.folder, ignore_errors=True)

    @staticmethod
    def _log_of(z: _Zygote) -> str:
        try:
            return (z.folder / "zygote.log").read_text(errors="replace").strip()[-500:]
        except OSError:
            return ""

    # -- for the workers --------------------------------------------------------------------------------------------
    @staticmethod
    def request(job: Job, env: dict[str, str], **extra) -> str:
        """The JSON a zygote's monitor reads: the job's folders and the kernel's environment."""
        return json.dumps({"base": str(job.base), "work": str(job.work), "runtime": str(job.runtime), "env": env,
                           **extra})

    def kernel_argv(self, job: Job, env: dict[str, str]) -> list[str] | None:
        """The command that asks ``job``'s worker's zygote for its kernel, or None when it must start cold (said
        once per reason)."""
        z = self.zygotes.get(job.slot)
        if z is None or self.stopping.is_set():
            return None
        if not z.ready.wait(self.timeout + 5):
            z.problem = "the zygote was not ready in time"
        if z.problem is None and z.process.poll() is not None:
            z.problem = f"the zygote of worker {z.slot} exited ({z.process.returncode}): {self._log_of(z)}"
        if z.problem is not None:
            self._say(z.problem)
            return None
        shadow = shadowing(job.work, z.modules)
        if shadow:
            self._say(f"{shadow} in a working folder would replace a module the zygote preloaded", job.marker)
            return None
        return [sys.executable, "-I", "-S", zygote_client.__file__, str(z.socket), self.request(job, env),
                "{connection_file}"]

    def _say(self, problem: str, job: str = "") -> None:
        with self.lock:
            if problem in self.logged:
                return
            self.logged.add(problem)
        self.log(f"warm kernels: {problem}; " + (f"that kernel starts cold ({job})" if job else
                                                 "kernels start cold (one bubblewrap each)"))

    def close(self) -> None:
        """Stop every zygote and wait until their processes are gone."""
        self.stopping.set()
        self.thread.join()

