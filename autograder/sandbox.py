"""Where a student's kernel runs: the command line that starts it, and the sweep that kills what it left.

Three levels (``Mode``: ``c.Isolation.mode`` or ``--sandbox``; ``auto`` picks the first that works here):

``bwrap``
    prlimit (address space, CPU time, processes, file size) then bubblewrap: new pid, network, ipc and uts
    namespaces, a clean environment, ``/usr``, Python and the virtual environment read-only, the ``course``
    package read-only (the one the kernels' Python imports, wherever it is installed: ``kernel_imports``), a
    private ``/tmp``, and only the job's own folders writable. Nothing of the course
    folder (``source/``, the gradebook, other students) exists inside. As root, the kernel then drops to a
    per-worker uid with ``setpriv`` (RLIMIT_NPROC does not apply to root, and root inside bubblewrap keeps its
    capabilities). ``--die-with-parent`` and the pid namespace kill everything the kernel started, a process in
    a new session included, when the kernel is stopped or the grader dies.
``rlimits``
    the same limits and clean environment without namespaces (bubblewrap missing or refused): files and the
    network are reachable. Used by ``auto`` when bubblewrap cannot run here, with a loud warning; never when the
    kernels' environment is broken (``course`` not importable, or not inside the sandbox): that is an error.
``none``
    no limits at all, for trusted runs (a teacher checking the solutions).

In every mode the kernel carries a marker in its environment, and ``sweep`` kills any process that still has
it (or still runs as the worker's uid) after the kernel was stopped.

Warm kernels (``c.Isolation.warm_kernels``, bwrap as root): ``Launcher.warm_up`` starts a zygote per worker
(``warm.py``, ``zygote.py``) in a bubblewrap sandbox built here (``zygote_argv``), and the kernel command becomes a
launcher that asks it for a fork with the same sandbox (``kernel_argv``; ``cold_argv`` is today's command).
"""
from __future__ import annotations

import enum
import functools
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from .zygote import keyring_filter

if TYPE_CHECKING:   # settings imports Mode from here, warm imports this module
    from .settings import Isolation
    from .warm import Zygotes


class Mode(enum.StrEnum):
    """How a kernel is sandboxed. A str, so the strings of the config and the command line are modes."""
    AUTO = "auto"           # asked for, never run: bwrap when it works here, else rlimits (loudly)
    BWRAP = "bwrap"
    RLIMITS = "rlimits"     # what auto falls back to; not asked for by name
    NONE = "none"

    @classmethod
    def parse(cls, value: str, allowed: tuple[Mode, ...] | None = None) -> Mode:
        """``value`` as a mode of ``allowed`` (default: every mode); the error lists the choices."""
        allowed = allowed or tuple(cls)
        if value not in allowed:
            raise ValueError(f"unknown sandbox mode {value!r}: one of {', '.join(allowed)}")
        return cls(value)


# What a teacher may ask for (c.Isolation.mode, --sandbox).
REQUESTABLE = (Mode.AUTO, Mode.BWRAP, Mode.NONE)
# What a kernel runs in.
RUNNABLE = (Mode.BWRAP, Mode.RLIMITS, Mode.NONE)

MARKER = "AUTOGRADER_JOB"
# Packages the notebooks import that may be installed in editable mode (their folder is outside the venv).
PACKAGES = ("course",)
# What every kernel imports before a student's line runs: the probe imports them inside the sandbox.
KERNEL_IMPORTS = ("ipykernel", "numpy", *PACKAGES)
# What a zygote keeps of root's capabilities: new namespaces and mounts, the change to the worker's uid, dropping
# the bounding set, the kernel's loopback up. Each kernel drops them all.
ZYGOTE_CAPS = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_NET_ADMIN")
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts", "localtime", "alternatives", "mime.types")


# The virtual environment by its real path: that is the path bound into the sandbox (a venv reached through a
# symbolic link would not be found inside).
VENV = Path(sys.prefix).resolve()
PYTHON = VENV / "bin" / "python"          # the kernels' Python: the kernelspec runs it

# Run by the kernels' Python: the folders each module given on its command line is imported from (none: not
# found). find_spec runs no package's code.
_WHERE = """
import importlib.util, json, os, sys
found = {}
for name in sys.argv[1:]:
    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        spec = None
    locations = [] if spec is None else list(spec.submodule_search_locations or [])
    found[name] = locations or ([os.path.dirname(spec.origin)] if spec and spec.origin else [])
print(json.dumps(found))
"""


@functools.cache
def kernel_imports() -> dict[str, list[str]]:
    """Where the kernels' Python finds each of ``KERNEL_IMPORTS`` (module -> folders, [] when it does not), asked
    once per process of that Python itself, as a kernel runs it: the kernels' clean environment, in an empty folder.
    Not this process's view: ``python -m autograder`` puts the folder it runs in first on its path, and a course
    checkout has its own ``course/`` there, which need not be the one the environment installed (an editable install
    from another clone, a shared environment, a copy in site-packages)."""
    env = {"PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
           "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="autograder-where-") as empty:
        try:
            result = subprocess.run([str(PYTHON), "-c", _WHERE, *KERNEL_IMPORTS], capture_output=True, text=True,
                                    cwd=empty, env=env, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RuntimeError(f"the kernels' Python ({PYTHON}) does not start: {error}") from error
    if result.returncode != 0:
        raise RuntimeError(f"the kernels' Python ({PYTHON}) failed (exit {result.returncode}): "
                           f"{result.stderr.strip()[-300:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def check_kernel_imports() -> None:
    """Raise ``RuntimeError`` saying what to install when the kernels' Python cannot import one of
    ``KERNEL_IMPORTS``: every notebook would fail, whatever the sandbox."""
    missing = [name for name, where in kernel_imports().items() if not where]
    if not missing:
        return
    mine = [f"{name} from {Path(spec.origin).parent}" for name in missing
            if (spec := importlib.util.find_spec(name)) is not None and spec.origin]
    raise RuntimeError(
        f"the kernels' Python ({PYTHON}) cannot import {', '.join(missing)}: the environment {VENV} does not "
        "install it" + (f" (this grader imports {', '.join(mine)}, found from the folder it runs in or PYTHONPATH, "
                        "which kernels do not see)" if mine else "")
        + f". Install the course (and what it needs) into that environment: {VENV / 'bin' / 'pip'} install -e "
        "<the course folder>")


def _package_dirs() -> list[Path]:
    """The folders of ``PACKAGES`` as the kernels' Python imports them (where the kernel will look for them)."""
    return [Path(os.path.abspath(p)) for name in PACKAGES for p in kernel_imports().get(name, [])]


def _readonly_trees() -> list[Path]:
    """What the kernel must be able to read: the interpreter, the virtual environment, editable packages. Each is
    bound at the path the kernel knows it by (from its real path)."""
    trees = [Path(sys.base_prefix).resolve(), VENV, *_package_dirs()]
    out: list[Path] = []
    for tree in trees:
        if tree not in out and not any(tree.is_relative_to(t) for t in out if t != Path("/usr")):
            out.append(tree)
    return [t for t in out if not t.is_relative_to("/usr")]


def _outside(trees: list[Path]) -> list[str]:
    """Modules of ``KERNEL_IMPORTS`` (but ``PACKAGES``, bound where they are) that the kernels' Python imports
    from a folder the sandbox does not bind (``trees`` and /usr): "numpy from /x/site-packages/numpy"."""
    out = []
    for name, where in kernel_imports().items():
        if name in PACKAGES:
            continue
        for folder in map(Path, where):
            if not folder.is_relative_to("/usr") and not any(folder.resolve().is_relative_to(t) for t in trees):
                out.append(f"{name} from {folder}")
    return out


def _parents(paths) -> list[str]:
    """bubblewrap arguments creating every parent folder of ``paths`` world-traversable (bubblewrap itself
    makes them 0700, which the unprivileged kernel cannot cross)."""
    args, seen = [], set()
    for path in paths:
        for parent in reversed(Path(path).parents):
            if parent == Path("/") or parent in seen:
                continue
            seen.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


# One BLAS thread per kernel (workers already use every core; threads also inflate the address space that
# RLIMIT_AS counts), in every mode so that sandboxed and trusted runs compute the same way.
THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}


def kernel_environment(marker: str, job: "Job") -> dict[str, str]:
    """The whole environment of ``job``'s kernel."""
    # matplotlib's font cache, copied in by execute (building it costs every kernel a second)
    return _environment(marker, job.runtime / "matplotlib")


def _environment(marker: str, mplconfigdir: Path) -> dict[str, str]:
    venv_bin = str(VENV / "bin")
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": str(mplconfigdir),
        **THREADS,
        "PYTHONDONTWRITEBYTECODE": "1",
        "NBGRADER_EXECUTION": "autograde",
        MARKER: marker,
    }


def matplotlib_cache(dest: Path) -> None:
    """A writable matplotlib config folder for a kernel (or a zygote), holding the grader's font cache."""
    dest.mkdir()
    try:
        for path in _font_caches():
            shutil.copyfile(path, dest / path.name)
    except Exception:   # no cache: the kernel builds its own
        pass


@functools.cache
def _font_caches() -> tuple[Path, ...]:
    """The grader's matplotlib font caches, built once if there are none yet (on a fresh machine; else every cold
    kernel builds its own, a second each, and runs fontconfig's fc-list, which leaves its cache in the kernel's
    /tmp)."""
    import matplotlib
    found = tuple(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    if not found:
        from matplotlib import font_manager   # noqa: F401 -- importing it builds and writes the cache
        found = tuple(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    return found


@dataclass
class Job:
    """The folders of one kernel: ``work`` (its cwd, the only folder it may write besides its /tmp) and
    ``runtime`` (connection file, ipc sockets, matplotlib's config)."""
    base: Path
    slot: int
    marker: str

    @property
    def work(self) -> Path:
        return self.base / "work"

    @property
    def runtime(self) -> Path:
        return self.base / "run"


class Launcher:
    """Builds the kernel command of a sandbox mode and sweeps up after it."""

    def __init__(self, isolation: Isolation, mode: Mode | str):
        self.isolation, self.mode = isolation, Mode.parse(mode, RUNNABLE)
        self.as_root = os.geteuid() == 0
        # As root, kernels drop to a per-worker uid (see uid); resolve() turns this off in rlimits mode when that
        # uid cannot read the interpreter (a pyenv in root's home).
        self.drop_privileges = self.as_root and self.mode != Mode.NONE
        self.zygotes: Zygotes | None = None     # warm kernels (warm_up), else every kernel starts cold

    # -- per-job folders -------------------------------------------------------------------------------------
    def uid(self, slot: int) -> int | None:
        """The host uid the kernel of worker ``slot`` runs as (None: the grader's own)."""
        if not self.drop_privileges:
            return None
        # Each grading run has its own range of uids, so that sweeping one run never touches another's kernels.
        return self.isolation.uid_base + (os.getpid() % 100_000) * 64 + slot

    def make_job(self, root: Path, slot: int, name: str) -> Job:
        base = Path(tempfile.mkdtemp(prefix=f"{slot}-", dir=root))
        job = Job(base, slot, f"{os.getpid()}-{base.name}-{name}")
        job.work.mkdir()
        job.runtime.mkdir()
        uid = self.uid(slot)
        os.chmod(base, 0o711)
        if uid is not None:
            for folder in (job.work, job.runtime):
                os.chown(folder, uid, uid)
        return job

    def hand_over(self, job: Job, path: Path) -> None:
        """Give the kernel's user a file or folder the grader wrote into the job (connection file, student files)."""
        uid = self.uid(job.slot)
        if uid is None:
            return
        for p in [path, *(path.rglob("*") if path.is_dir() else [])]:
            os.lchown(p, uid, uid)

    # -- the command -----------------------------------------------------------------------------------------
    def rlimits(self) -> dict[str, int]:
        """The kernel's resource limits (soft and hard), by prlimit's names."""
        s = self.isolation
        nproc = s.max_processes
        if not self.as_root:
            # RLIMIT_NPROC counts every process of the user, the grader's own included.
            nproc += _processes_of(os.getuid())
        return {"as": s.memory_mb << 20, "cpu": s.cpu_seconds, "nproc": nproc, "fsize": s.max_file_mb << 20, "core": 0}

    def limits(self) -> list[str]:
        return ["prlimit", *[f"--{name}={value}" for name, value in self.rlimits().items()], "--"]

    def kernel_argv(self, job: Job) -> list[str]:
        """The command of ``job``'s kernel: the launcher that asks the worker's zygote for a warm kernel when there
        is one that can run it (``warm.Zygotes.kernel_argv``), else a kernel started cold."""
        if self.zygotes is not None:
            warm = self.zygotes.kernel_argv(job, kernel_environment(job.marker, job))
            if warm is not None:
                return warm
        return self.cold_argv(job)

    def cold_argv(self, job: Job) -> list[str]:
        """The command of a kernel started from scratch: (prlimit, bubblewrap, setpriv,) Python, ipykernel."""
        python = [str(PYTHON), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        env = kernel_environment(job.marker, job)
        if self.mode == Mode.NONE:
            kept = (MARKER, "NBGRADER_EXECUTION", "MPLCONFIGDIR", *THREADS)
            return ["env", *[f"{k}={v}" for k, v in env.items() if k in kept], *python]
        uid = self.uid(job.slot)
        drop = ([] if uid is None else
                ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                 "--inh-caps=-all", "--bounding-set=-all"])
        if self.mode == Mode.RLIMITS:
            return [*self.limits(), *drop, "env", "-i", *[f"{k}={v}" for k, v in env.items()], *python]
        # The kernel keyring belongs to a uid, not to a namespace: a kernel could leave a key there for the next
        # kernel of its worker (same uid). bubblewrap loads the filter that refuses it (as a warm kernel's zygote
        # does) from descriptor 3, which the shell opens on the job's copy of it and bubblewrap closes.
        program = job.base / "keyring.bpf"
        program.write_bytes(keyring_filter())
        return ["/bin/sh", "-c", 'exec "$@" 3<"$0"', str(program), *self.limits(),
                *self.bwrap([job.work, job.runtime], env, job.work, seccomp_fd=3), "--", *drop, *python]

    def bwrap(self, writable: list[Path], env: dict[str, str], chdir: Path, caps: tuple[str, ...] = (),
              seccomp_fd: int | None = None) -> list[str]:
        """bubblewrap's arguments: the sandbox of a kernel (or of a zygote) whose only writable folders are
        ``writable``, started in ``chdir``; ``caps``: the capabilities it keeps as root (none given: all);
        ``seccomp_fd``: a descriptor to read a seccomp program from."""
        s = self.isolation
        args = ["bwrap", *(["--cap-drop", "ALL"] if caps else []), *[a for cap in caps for a in ("--cap-add", cap)],
                *([] if seccomp_fd is None else ["--seccomp", str(seccomp_fd)]),
                "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session", "--clearenv",
                "--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(s.tmp_mb << 20), "--tmpfs", "/tmp"]
        if not self.as_root:
            args += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
        args += ["--ro-bind", "/usr", "/usr"]
        for name in ("bin", "sbin", "lib", "lib32", "lib64"):
            path = Path("/") / name
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                args += ["--ro-bind", str(path), str(path)]
        # /etc made first and world-traversable, or bubblewrap makes it 0700 and the kernel reads none of these
        # (fontconfig then says "Cannot load default config file" on a student's first figure)
        args += ["--perms", "0755", "--dir", "/etc"]
        for name in ETC:
            if (Path("/etc") / name).exists():
                args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
        trees = _readonly_trees()
        args += _parents([*trees, *writable])
        for tree in trees:
            args += ["--ro-bind", os.path.realpath(tree), str(tree)]
        for folder in writable:
            args += ["--bind", str(folder), str(folder)]
        args += ["--chdir", str(chdir)]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return args

    # -- warm kernels ----------------------------------------------------------------------------------------
    def warm_up(self, scratch: Path, slots: int, log=print) -> None:
        """Start a zygote per worker slot (``warm.Zygotes``) when ``c.Isolation.warm_kernels`` asks for them and
        they can keep every guarantee of the sandbox here: kernels in ``scratch``, in bubblewrap, as root (the
        zygote builds each kernel's namespaces and drops it to the worker's uid). Otherwise say why, once."""
        if not self.isolation.warm_kernels or self.zygotes is not None:
            return
        from . import warm     # imports this module
        problem = warm.problem(self, scratch)
        if problem:
            log(f"warm kernels: {problem}; every kernel starts cold (one bubblewrap each)")
            return
        self.zygotes = warm.Zygotes(self, scratch, slots, log)

    def zygote_argv(self, folder: Path, scratch: Path, marker: str, config: dict) -> list[str]:
        """The command of a zygote: bubblewrap as a kernel's (its scratch folder writable, to reach each job's
        folders), root with only the capabilities that build a kernel's sandbox, ``folder``'s copy of zygote.py."""
        env = _environment(marker, folder / "matplotlib")
        return [*self.bwrap([scratch], env, folder, ZYGOTE_CAPS), "--",
                str(VENV / "bin" / "python"), str(folder / "zygote.py"), "serve", json.dumps(config)]

    def close(self) -> None:
        """Stop the zygotes (kernels started from them end with them)."""
        if self.zygotes is not None:
            self.zygotes.close()
            self.zygotes = None

    def kernelspec(self, job: Job) -> Path:
        """Write the kernelspec of ``job`` (in ``job.base/kernels``) and return the folder that holds it."""
        spec = job.base / "kernels" / "sandboxed"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": self.kernel_argv(job), "display_name": f"sandboxed ({self.mode})", "language": "python",
            # --new-session cuts the kernel off from SIGINT: interrupts travel as messages.
            "interrupt_mode": "message"}))
        return spec.parent

    # -- afterwards ------------------------------------------------------------------------------------------
    def sweep(self, job: Job, grace: float = 0.5) -> list[int]:
        """Kill every process still carrying the job's marker or running as its uid; return their pids. Processes
        given ``grace`` seconds to end on their own first: a kernel's processes may still be exiting when its
        manager returns (and are then not leftovers). Zombies are not counted."""
        return sweep(job.marker, self.uid(job.slot), grace)


def sweep(marker: str, uid: int | None, grace: float = 0.5) -> list[int]:
    """Kill every process carrying ``marker`` in its environment or running as ``uid`` (after ``grace`` seconds
    to end on their own); their pids."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_belongs(pid, marker, uid) for pid in _pids()):
        time.sleep(0.05)
    killed = []
    for _ in range(20):
        found = [pid for pid in _pids() if _belongs(pid, marker, uid)]
        if not found:
            break
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        killed += [p for p in found if p not in killed]
        time.sleep(0.05)
    return killed


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]


def _processes_of(uid: int) -> int:
    return sum(1 for pid in _pids() if _uid(pid) == uid)


def _status(pid: int) -> dict[str, str]:
    """The fields of /proc/<pid>/status ({} when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except OSError:
        return {}


def _uid(pid: int) -> int | None:
    uid = _status(pid).get("Uid", "").split()[:1]
    return int(uid[0]) if uid else None


def _belongs(pid: int, marker: str, uid: int | None) -> bool:
    """Whether ``pid`` is a live process (not a zombie) of the job: its uid, or the job's marker."""
    status = _status(pid)
    if status.get("State", "Z")[:1] in ("Z", "X"):
        return False
    if uid is not None and status.get("Uid", "").split()[:1] == [str(uid)]:
        return True
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return f"{MARKER}={marker}".encode() in f.read().split(b"\0")
    except OSError:
        return False


def _try_python(launcher: Launcher, workdir: Path, code: str) -> tuple[str | None, str]:
    """Run ``python -c code`` the way ``launcher`` runs kernels: what went wrong (None: it worked), and what it
    printed."""
    job = launcher.make_job(workdir, 0, "probe")
    try:
        argv = launcher.cold_argv(job)[:-4] + ["-c", code]
        try:
            result = subprocess.run(argv, capture_output=True, text=True, cwd=job.work, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"did not start: {error}", ""
        if result.returncode != 0:
            return f"failed (exit {result.returncode}): {result.stderr.strip()[-300:]}", result.stdout
        return None, result.stdout
    finally:
        launcher.sweep(job)
        shutil.rmtree(job.base, ignore_errors=True)


STARTED = "python started"


def probe(isolation: Isolation, workdir: Path) -> str | None:
    """Why bubblewrap cannot run a kernel here (None: it can). Starts the sandbox's Python once.

    Raises ``RuntimeError`` instead when the kernels' environment is what is wrong: the kernels' Python cannot
    import what a kernel needs (``check_kernel_imports``), imports it from a folder the sandbox does not bind, or
    bubblewrap starts it but an import fails inside. No mode would grade fairly then, and none is picked."""
    check_kernel_imports()
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    if shutil.which("prlimit") is None:
        return "prlimit (util-linux) is not installed"
    launcher = Launcher(isolation, Mode.BWRAP)
    trees = _readonly_trees()
    outside = _outside(trees)
    if outside:
        raise RuntimeError(
            f"the kernels' Python imports {', '.join(outside)}: outside what the sandbox binds (the interpreter, "
            f"the environment {VENV} and the course package), so no kernel would start in it. Install it into "
            f"that environment ({VENV / 'bin' / 'pip'} install ...)")
    imports = ", ".join(KERNEL_IMPORTS)
    problem, printed = _try_python(launcher, workdir, f"print({STARTED!r}, flush=True)\nimport {imports}")
    if problem is None:
        return None
    if STARTED not in printed:   # bubblewrap (or the interpreter under it) cannot run here
        return f"bubblewrap {problem}"
    found = "; ".join(f"{name} from {', '.join(where)}" for name, where in kernel_imports().items())
    raise RuntimeError(
        f"bubblewrap runs, but the kernels' Python cannot import {imports} inside it: {problem}. Outside the "
        f"sandbox it imports {found}; bound read-only inside: {', '.join(map(str, trees))}. Grading is refused "
        "rather than run unsandboxed: fix that environment (or report this as a bug of the autograder)")


def resolve(isolation: Isolation, workdir: Path, log=print) -> Launcher:
    """The launcher for ``isolation.mode``; ``auto`` falls back to rlimits only, loudly, when bubblewrap cannot
    run here (never because the kernels' environment is broken: ``probe`` raises then)."""
    mode = Mode.parse(isolation.mode, REQUESTABLE)
    if mode in (Mode.AUTO, Mode.BWRAP):
        problem = probe(isolation, workdir)
        if problem is None:
            return Launcher(isolation, Mode.BWRAP)
        if mode == Mode.BWRAP:
            raise RuntimeError(f"--sandbox bwrap: {problem}")
        log("=" * 78)
        log(f"WARNING: NOT SANDBOXED. {problem}.")
        log("Kernels run with resource limits only: a submission can read and write your files and reach the")
        if shutil.which("bwrap") is None:
            log("network. Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) to grade untrusted work.")
        else:
            log("network. bubblewrap is installed but cannot run here (it needs user namespaces, or root): see")
            log("its error above. Make it work to grade untrusted work; --sandbox bwrap refuses to grade without.")
        log("=" * 78)
        launcher = Launcher(isolation, Mode.RLIMITS)
        if launcher.drop_privileges and _try_python(launcher, workdir, "import ipykernel")[0] is not None:
            log(f"WARNING: uid {launcher.uid(0)} cannot run {sys.executable}: kernels run as root, and the "
                "process limit does not apply to root.")
            launcher.drop_privileges = False
        return launcher
    return Launcher(isolation, mode)
