"""Warm kernels (autograder/warm.py, autograder/zygote.py): each kernel forked from its worker's zygote keeps every
guarantee of a kernel started cold -- its own process, uid, namespaces, /tmp, limits and working folder -- and
nothing one student does reaches the next student's kernel of the same worker. A warm kernel runs a notebook as a
cold one does; where a zygote cannot be used, kernels start cold and the log says why."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import pytest

import course.gradcheck
from autograder import execute, grade, sandbox, settings, warm
from support.courses import REPO
from support.grading import bwrap_problem, gradebook_rows, leftover_processes
from support.hostile import CASES, submit

pytestmark = pytest.mark.slow


def _needs_warm_kernels(tmp_path: Path) -> None:
    problem = bwrap_problem(tmp_path) or (None if os.geteuid() == 0 else "the grader is not root")
    if problem:
        pytest.skip(f"warm kernels need bubblewrap and root: {problem}")


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """(grading, isolation, scratch, warm launcher with one zygote ready, cold launcher) for one worker slot."""
    scratch = tmp_path_factory.mktemp("scratch")
    scratch.chmod(0o711)
    _needs_warm_kernels(scratch)
    # A cell's timeout is no subject here but for the one case that runs past it (which sets its own): the isolation
    # cell walks the whole filesystem, and took over 10 s on a loaded CI machine.
    grading, isolation = settings.load(REPO, cell_timeout=300)
    launcher = sandbox.Launcher(isolation, sandbox.Mode.BWRAP)
    said = []
    launcher.warm_up(scratch, 2, said.append)
    zygote = launcher.zygotes.zygotes[0]
    assert zygote.ready.wait(90) and zygote.problem is None, (zygote.problem, said)
    yield grading, isolation, scratch, launcher, sandbox.Launcher(isolation, sandbox.Mode.BWRAP)
    launcher.close()


def run(box, *sources: str, cold: bool = False, slot: int = 0, name: str = "job",
        cell_timeout: float | None = None) -> tuple[execute.Execution, list]:
    """Run a notebook of ``sources`` (one cell each); the execution and each cell's outputs."""
    grading, _, scratch, warm_launcher, cold_launcher = box
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(textwrap.dedent(s)) for s in sources])
    kept = grading.cell_timeout
    grading.cell_timeout = cell_timeout or kept
    try:
        ran = execute.execute(nb, [], cold_launcher if cold else warm_launcher, slot, grading, scratch, name=name)
    finally:
        grading.cell_timeout = kept
    return ran, [cell.outputs for cell in nb.cells]


def printed(outputs) -> str:
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")


FORKED = "import sys; print('forked' if 'course.widgets' in sys.modules else 'cold')"

LEAVE_TRACES = """
    import ctypes, os, socket, subprocess, sys, time
    import numpy as np, course, course.gradcheck
    np.secret = course.secret = "left by student A"
    course.gradcheck.ATOL = 1e9
    np.sum = lambda *a, **k: 42
    sys.modules["json"] = "replaced by student A"
    sys.modules["numpy.linalg"] = None
    open("/tmp/left-by-a", "w").write("A")
    open("left-by-a.txt", "w").write("A")
    os.environ["LEFT_BY_A"] = "1"
    subprocess.Popen(["sleep", "313"], start_new_session=True)
    if os.fork() == 0:
        os.setsid()
        time.sleep(313)
        os._exit(0)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind("\\0left-by-a")
    listener.listen()
    libc = ctypes.CDLL(None, use_errno=True)
    added = libc.syscall(248, b"user", b"left-by-a", b"secret", 6, ctypes.c_int(-4))   # add_key to @u
    print("keyring", added, ctypes.get_errno())
"""

FIND_TRACES = """
    import ctypes, json, os, socket, sys
    import numpy as np, course, course.gradcheck
    found = {"np.secret": hasattr(np, "secret"), "course.secret": hasattr(course, "secret"),
             "ATOL": course.gradcheck.ATOL, "np.sum": int(np.sum([1, 2])), "json": type(sys.modules["json"]).__name__,
             "numpy.linalg": sys.modules.get("numpy.linalg") is not None, "LEFT_BY_A": "LEFT_BY_A" in os.environ,
             "tmp": os.path.exists("/tmp/left-by-a"), "work": os.listdir("."),
             "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit())}
    try:
        socket.socket(socket.AF_UNIX).bind("\\0left-by-a")
        found["abstract socket"] = "free"
    except OSError as error:
        found["abstract socket"] = str(error)
    libc = ctypes.CDLL(None, use_errno=True)
    found["keyring"] = libc.syscall(249, b"user", b"left-by-a", None, ctypes.c_int(0))   # request_key
    print(json.dumps(found))
"""


def test_nothing_a_student_does_reaches_the_next_kernel_of_the_worker(box):
    """Module globals, a patched numpy, sys.modules, files in /tmp and in the working folder, the environment,
    processes left running (a new session, a fork), an abstract unix socket, the kernel keyring: none of it is
    there for the next student's kernel of the same worker (same zygote, same uid)."""
    uid = box[3].uid(0)
    ran_a, outputs_a = run(box, FORKED, LEAVE_TRACES, name="student-a")
    assert ran_a.status == ["ok", "ok"], ran_a.reason
    assert printed(outputs_a[0]) == "forked\n"
    assert printed(outputs_a[1]) == "keyring -1 1\n"          # EPERM: seccomp refuses the keyring
    assert _uid_processes(uid) == []
    ran_b, outputs_b = run(box, FORKED, FIND_TRACES, name="student-b")
    assert ran_b.status == ["ok", "ok"], ran_b.reason
    assert printed(outputs_b[0]) == "forked\n"
    assert json.loads(printed(outputs_b[1])) == {
        "np.secret": False, "course.secret": False, "ATOL": course.gradcheck.ATOL, "np.sum": 3, "json": "module",
        "numpy.linalg": True, "LEFT_BY_A": False, "tmp": False, "work": [], "pids": [1, 2],
        "abstract socket": "free", "keyring": -1}


ISOLATION = """
    import ctypes, json, os, resource, socket
    status = dict(line.rstrip("\\n").split(":\\t", 1) for line in open("/proc/self/status") if ":\\t" in line)
    r = {"ids": [os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getgroups()],
         "status": {k: status[k] for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp")},
         "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()), "pid": os.getpid(),
         "limits": {n: resource.getrlimit(getattr(resource, "RLIMIT_" + n.upper()))
                    for n in ("as", "cpu", "nproc", "fsize", "core")},
         "tmp bytes": os.statvfs("/tmp").f_blocks * os.statvfs("/tmp").f_frsize,
         "network": sorted(line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]),
         "mountinfo": open("/proc/self/mountinfo").read(), "cwd": os.getcwd(),
         "etc": sorted(n for n in os.listdir("/etc") if os.access("/etc/" + n, os.R_OK))}
    try:
        os.kill(1, 15)
        r["signal init"] = "sent"
    except OSError as error:
        r["signal init"] = type(error).__name__
    try:
        open("/proc/1/environ", "rb").read()
        r["read init"] = "read"
    except OSError as error:
        r["read init"] = type(error).__name__
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=2)
        r["host port"] = "connected"
    except OSError:
        r["host port"] = "unreachable"
    writable = []
    for folder, dirs, _ in os.walk("/"):
        if folder in ("/proc", "/sys", "/dev"):
            dirs[:] = []
        elif os.access(folder, os.W_OK):
            writable.append(folder)
    r["writable"] = writable
    print(json.dumps(r))
"""


def test_a_warm_kernel_keeps_every_guarantee_of_the_sandbox(box):
    """The worker's uid without any capability, no_new_privs and seccomp; pid 2 of its own pid namespace (init,
    root, can be neither signalled nor read); its rlimits; a /tmp of the configured size; no network (a port of
    this machine is unreachable); nothing of the zygote in its mount table; only /tmp and its job's folders
    writable."""
    _, isolation, scratch, launcher, _ = box
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        ran, outputs = run(box, ISOLATION.replace("PORT", str(listener.getsockname()[1])))
    assert ran.status == ["ok"], (ran.reason, outputs)
    r = json.loads(printed(outputs[0]))
    uid = launcher.uid(0)
    assert r["ids"] == [uid, uid, uid, uid, []]
    assert r["status"] == {**{k: "0000000000000000" for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")},
                           "NoNewPrivs": "1", "Seccomp": "2"}
    assert (r["pid"], r["pids"]) == (2, [1, 2])
    assert (r["signal init"], r["read init"], r["host port"]) == ("PermissionError", "PermissionError", "unreachable")
    assert r["limits"] == {name: [value, value] for name, value in launcher.rlimits().items()}
    assert r["tmp bytes"] == isolation.tmp_mb << 20
    assert r["network"] == ["lo"]
    assert r["etc"] == sorted(n for n in sandbox.ETC if (Path("/etc") / n).exists())   # fonts, ld.so.cache: readable
    zygote = launcher.zygotes.zygotes[0]
    assert str(zygote.folder) not in r["mountinfo"] and f" {scratch} " not in r["mountinfo"]
    job = Path(r["cwd"]).parent
    assert [w for w in r["writable"] if w != "/tmp" and not w.startswith("/tmp/")] == []
    assert [w for w in r["writable"] if w != "/tmp" and str(job).startswith(w + "/")] == []   # job's parents: root's
    assert str(job / "work") in r["writable"] and str(job / "run") in r["writable"]
    # the read-only trees bound again over the fresh /tmp when they are under it (a clone in /tmp) stay read-only
    assert [w for w in r["writable"] if any(w == t or w.startswith(t + "/") for t in warm.in_tmp())] == []


INTROSPECT = """
    import atexit, json, logging, os, re, resource, signal, sys, threading, warnings
    import matplotlib, matplotlib.pyplot as plt, ipywidgets
    ip = get_ipython()
    plt.figure()
    status = dict(line.rstrip("\\n").split(":\\t", 1) for line in open("/proc/self/status") if ":\\t" in line)
    info = {"sys.path": sys.path, "argv": sys.argv, "flags": str(sys.flags), "executable": sys.executable,
            "cwd": os.getcwd(), "environ": {k: v for k, v in os.environ.items() if k != "AUTOGRADER_JOB"},
            "ids": [os.getuid(), os.getgid(), os.getgroups()],
            "process": [os.getpid(), os.getppid(), os.getpgid(0), os.getsid(0)],
            "status": {k: status[k] for k in ("Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd",
                                              "CapAmb", "NoNewPrivs", "SigIgn", "SigBlk", "Umask")},
            "limits": {n: resource.getrlimit(getattr(resource, n)) for n in dir(resource) if n.startswith("RLIMIT_")},
            "backend": matplotlib.get_backend(), "configdir": matplotlib.get_configdir(),
            "cachedir": matplotlib.get_cachedir(), "rc": sorted((k, str(v)) for k, v in matplotlib.rcParams.items()),
            "comm targets": sorted(ip.kernel.comm_manager.targets),
            "post_execute": sorted(f.__qualname__ for f in ip.events.callbacks["post_execute"]),
            "signals": {s.name: str(signal.getsignal(s)) for s in signal.Signals},
            "warnings": [str(f) for f in warnings.filters], "tmp": sorted(os.listdir("/tmp")),
            "hostname": os.uname().nodename, "dumpable": open("/proc/self/environ", "rb").read() != b"x",
            "mount points": sorted(line.split()[4] for line in open("/proc/self/mountinfo")),
            "import system": [re.sub(" at 0x[0-9a-f]+", "", repr(f)) for f in sys.meta_path + sys.path_hooks],
            "hooks": [type(sys.displayhook).__name__, type(sys.excepthook).__name__, atexit._ncallbacks()],
            "threads": sorted(re.sub(r"-\\d+", "", t.name) for t in threading.enumerate()),
            "logging": [repr(h) for h in logging.root.handlers] + [logging.root.level]}
    plt.close("all")
    print(json.dumps(info).replace(os.path.dirname(os.getcwd()), "JOB"))
"""
PLOT = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [3, 1, 2])\nplt.title('a plot')"
WIDGET = "import ipywidgets\nipywidgets.IntSlider(value=3, description='n')"


def test_a_warm_kernel_runs_a_notebook_as_a_cold_one(box):
    """The same interpreter state (paths, arguments, flags, environment, ids, limits, signals, warnings filters),
    matplotlib's inline backend hooked into the shell and its folders those of the job, ipywidgets' comm targets,
    and the same outputs (a figure's PNG, a widget). Both are refused the keyring (test_a_cold_kernel_...)."""
    states, outputs = {}, {}
    for how in ("cold", "warm"):
        ran, outs = run(box, FORKED, INTROSPECT, PLOT, WIDGET, cold=how == "cold", name=how)
        assert ran.status == ["ok"] * 4, ran.reason
        assert printed(outs[0]) == ("cold\n" if how == "cold" else "forked\n")
        states[how] = json.loads(printed(outs[1]))
        outputs[how] = [[{k: v for k, v in o.items() if k != "execution_count"} for o in cell] for cell in outs[2:]]
    cold, warm_state = states["cold"], states["warm"]
    assert {k for k in cold if cold[k] != warm_state[k]} == set(), {
        k: (cold[k], warm_state[k]) for k in cold if cold[k] != warm_state[k]}
    def data(cell):
        return [{k: v for k, v in o.get("data", {}).items() if "widget-view" not in k} for o in cell]
    assert [list(o["data"]) for o in outputs["warm"][0] + outputs["warm"][1]] == [
        ["text/plain"], ["text/plain", "image/png"], ["text/plain", "application/vnd.jupyter.widget-view+json"]]
    assert [data(cell) for cell in outputs["cold"]] == [data(cell) for cell in outputs["warm"]]   # the same PNG


KEYRING = """
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    added = libc.syscall(248, b"user", b"left-by-a", b"secret", 6, ctypes.c_int(-4))   # add_key to @u
    status = dict(line.rstrip("\\n").split(":\\t", 1) for line in open("/proc/self/status") if ":\\t" in line)
    fds = [os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")]
    print("keyring", added, ctypes.get_errno(), status["Seccomp"], [fd for fd in fds if fd.endswith(".bpf")])
"""


def test_a_cold_kernel_is_refused_the_keyring_too(box):
    """A key a cold kernel left in its uid's keyring would be there for the next cold kernel of the worker (the
    same uid): bubblewrap loads the zygote's filter, and the kernel keeps no descriptor of it."""
    ran, outputs = run(box, FORKED, KEYRING, cold=True)
    assert ran.status == ["ok", "ok"], ran.reason
    assert printed(outputs[0]) == "cold\n"
    assert printed(outputs[1]) == "keyring -1 1 2 []\n"           # EPERM, seccomp in filter mode


def test_numpy_random_differs_between_warm_kernels(box):
    """The zygote seeded numpy's global generator once; each kernel seeds it again, as a cold kernel does."""
    draws = [printed(run(box, "import numpy as np\nprint(np.random.rand(), flush=True)")[1][0]) for _ in range(2)]
    assert draws[0] != draws[1]


def test_how_a_warm_kernel_ends_is_reported_as_for_a_cold_one(box):
    """An exit, a kill, a cell past its timeout, the memory limit: the same status and reason either way."""
    cases = {"exit": "import os\nos._exit(3)", "kill": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
             "timeout": "import time\ntime.sleep(60)", "memory": "import numpy as np\nbig = np.ones(2 * 10**9 // 8)"}
    for what, source in cases.items():
        results = []
        for cold in (True, False):
            # sleep(60) cannot end within 3 s however loaded the machine: the timeout case is no race
            ran, outs = run(box, source, "1", cold=cold, cell_timeout=3)
            error = [o.get("ename") for o in outs[0] if o.get("output_type") == "error"]
            results.append((ran.status, ran.reason, error))
        assert results[0] == results[1], what


def _uid_processes(uid: int) -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and sandbox._uid(int(p)) == uid]


def test_a_kernel_whose_launcher_is_killed_takes_all_its_processes_with_it(box, monkeypatch):
    """jupyter_client sees the launcher as the kernel: killing it (as a shutdown does) kills the kernel and what
    it started, a new session and a double fork included, without the sweep; the run reports the kernel's death."""
    _, _, _, launcher, _ = box
    uid = launcher.uid(1)
    survivors = {}

    def no_sweep(job, grace=0.5):
        deadline = time.monotonic() + 5
        while _uid_processes(uid) and time.monotonic() < deadline:
            time.sleep(0.05)
        survivors[job.marker] = _uid_processes(uid)
        return sandbox.sweep(job.marker, uid)

    monkeypatch.setattr(launcher, "sweep", no_sweep)

    def kill_launcher():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for pid in (int(p) for p in os.listdir("/proc") if p.isdigit()):
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                except OSError:
                    continue
                launcher_of_the_job = any(c.endswith(b"zygote_client.py") for c in cmdline) and any(
                    b"started-sleepers" in c for c in cmdline)
                if launcher_of_the_job and len(_uid_processes(uid)) >= 3:
                    os.kill(pid, signal.SIGKILL)
                    return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_launcher)
    killer.start()
    ran, _ = run(box, """
        import os, subprocess, time
        subprocess.Popen(["sleep", "313"], start_new_session=True)
        subprocess.Popen(["sh", "-c", "nohup sleep 313 &"], start_new_session=True)
        time.sleep(60)
        """, slot=1, name="started-sleepers")
    killer.join()
    assert ran.reason and "kernel stopped" in ran.reason and "signal 9" in ran.reason, ran.reason
    assert list(survivors.values()) == [[]]
    assert _uid_processes(uid) == []


def test_the_sweep_finds_and_kills_a_warm_kernels_processes(box):
    """Should anything of a warm kernel outlive it, the sweep finds it: by the worker's uid, and the processes it
    starts carry the job's marker."""
    _, _, _, launcher, _ = box
    uid = launcher.uid(1)
    swept = {}

    def sweep_while_running():
        deadline = time.monotonic() + 60
        while len(_uid_processes(uid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        sleeper = next(p for p in _uid_processes(uid) if b"sleep" in Path(f"/proc/{p}/cmdline").read_bytes())
        marker = next(v for v in Path(f"/proc/{sleeper}/environ").read_bytes().split(b"\0")
                      if v.startswith(sandbox.MARKER.encode()))
        swept["marked"] = marker.endswith(b"-sweep-me")
        swept["killed"] = sandbox.sweep("not this job", uid, grace=0)

    sweeper = threading.Thread(target=sweep_while_running)
    sweeper.start()
    ran, _ = run(box, "import subprocess\nsubprocess.run(['sleep', '60'])", slot=1, name="sweep-me")
    sweeper.join()
    assert swept["marked"] and len(swept["killed"]) >= 2
    assert ran.reason and "kernel stopped" in ran.reason, ran.reason
    assert _uid_processes(uid) == []


GRADER = """
import sys, tempfile
from pathlib import Path
import nbformat
from autograder import execute, sandbox, settings
grading, isolation = settings.load(Path(sys.argv[1]))
scratch = Path(tempfile.mkdtemp())
scratch.chmod(0o711)
launcher = sandbox.Launcher(isolation, "bwrap")
launcher.warm_up(scratch, 1)
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    "import subprocess, time\\nsubprocess.Popen(['sleep', '313'], start_new_session=True)\\ntime.sleep(300)")])
execute.execute(nb, [], launcher, 0, grading, scratch)
"""


def test_when_the_grader_dies_its_zygotes_and_kernels_die(tmp_path):
    _needs_warm_kernels(tmp_path)
    (tmp_path / "grader.py").write_text(GRADER)
    proc = subprocess.Popen([sys.executable, str(tmp_path / "grader.py"), str(REPO)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while not any("sleep 313" in line for line in leftover_processes(proc.pid, range(0))):
        assert time.monotonic() < deadline and proc.poll() is None, "the kernel never started its sleep"
        time.sleep(0.1)
    assert any("zygote.py" in line for line in leftover_processes(proc.pid, range(0)))
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 15
    while (left := leftover_processes(proc.pid, range(0))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == []


def test_where_warm_kernels_cannot_run_kernels_start_cold_and_the_log_says_so(box, tmp_path, monkeypatch):
    grading, isolation, scratch, launcher, _ = box
    for mode in (sandbox.Mode.RLIMITS, sandbox.Mode.NONE):
        said = []
        sandbox.Launcher(isolation, mode).warm_up(scratch, 1, said.append)
        assert len(said) == 1 and "warm kernels: they need the bwrap sandbox" in said[0] and "cold" in said[0]
    not_root = sandbox.Launcher(isolation, sandbox.Mode.BWRAP)
    not_root.as_root = False
    assert "root" in warm.problem(not_root, scratch)
    off = sandbox.Launcher(settings.Isolation(warm_kernels=False), sandbox.Mode.BWRAP)
    off.warm_up(scratch, 1, said.append)
    assert off.zygotes is None
    # a zygote that fails its probe: its kernels start cold, said once
    failing = sandbox.Launcher(isolation, sandbox.Mode.BWRAP)
    monkeypatch.setattr(warm.Zygotes, "_check", lambda self, *a: "the probe kernel found capabilities: ...")
    said = []
    failing.warm_up(scratch, 1, said.append)
    try:
        for _ in range(2):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FORKED)])
            ran = execute.execute(nb, [], failing, 0, grading, scratch)
            assert ran.status == ["ok"] and printed(nb.cells[0].outputs) == "cold\n"
    finally:
        failing.close()
    assert said == ["warm kernels: the probe kernel found capabilities: ...; kernels start cold (one bubblewrap each)"]


def test_a_working_folder_that_would_shadow_a_preloaded_module_gets_a_cold_kernel(box, tmp_path):
    (tmp_path / "numpy.py").write_text("")
    (tmp_path / "data.csv").write_text("1,2\n")
    grading, _, scratch, launcher, _ = box
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FORKED)])
    ran = execute.execute(nb, [(tmp_path / "data.csv", "data.csv"), (tmp_path / "numpy.py", "numpy.py")], launcher,
                          0, grading, scratch)
    assert printed(nb.cells[0].outputs) == "cold\n", ran.reason
    modules = launcher.zygotes.zygotes[0].modules
    cases = {"numpy.py": True, "numpy": True, "matplotlibrc": True, "course.cpython-311-x86_64-linux-gnu.so": True,
             "data.csv": False, "numpy.txt": False, "notes": False}
    for index, (name, shadows) in enumerate(cases.items()):
        folder = tmp_path / f"work-{index}"
        folder.mkdir()
        if name in ("numpy", "notes"):
            (folder / name).mkdir()
        else:
            (folder / name).write_text("")
        assert (warm.shadowing(folder, modules) == name) is shadows, name


def test_grading_is_the_same_warm_or_cold(new_course, tmp_path, monkeypatch):
    """The fixture course with honest and hostile submissions, graded both ways: the same gradebook, reasons,
    flags and outputs. Tracebacks are compared without their colours: IPython highlights the failing expression
    of a library frame only when ``executing`` recognises its bytecode, which it does not once CPython 3.11 has
    specialised that code (after a few calls; the zygote's imports make such calls a cold kernel makes only if
    its notebook imports the same modules)."""
    _needs_warm_kernels(tmp_path)
    names = ("honest_solutions", "honest_wrong", "monkeypatch_numpy", "os_exit", "allocates_2gb", "input_transformer",
             "escapes_in_new_session", "writes_1gb_file", "reads_environment")
    results, forked = {}, []
    kernel_argv = warm.Zygotes.kernel_argv

    def counted(self, job, env):
        argv = kernel_argv(self, job, env)
        forked.extend([job.marker] if argv else [])
        return argv

    monkeypatch.setattr(warm.Zygotes, "kernel_argv", counted)
    for warm_kernels in (False, True):
        root = new_course(f"warm-{warm_kernels}")
        for case in CASES:
            if case.name in names:
                submit(root, case.name, case, {"secret_name": "NOTHING"})
        run = grade.grade(root, workers=2, sandbox_mode="bwrap", cell_timeout=5, quiet=True, warm_kernels=warm_kernels)
        assert run.ok
        outputs, tracebacks = {}, {}
        for path in sorted((root / "autograded").rglob("*.ipynb")):
            cells = nbformat.read(path, as_version=4).cells
            name = str(path.relative_to(root))
            outputs[name] = [[{k: v for k, v in o.items() if k not in ("execution_count", "traceback")}
                              for o in c.get("outputs", [])] for c in cells]
            tracebacks[name] = [[re.sub("\x1b\\[[0-9;]*m", "", line) for o in c.get("outputs", [])
                                 for line in o.get("traceback", [])] for c in cells]
        results[warm_kernels] = (gradebook_rows(root), sorted((o.student, o.reason, o.flags) for o in run.outcomes),
                                 _run_paths(json.dumps(outputs)), tracebacks)
    assert len(forked) == len(names)      # each notebook of the second run was forked by its zygote
    assert results[False][:2] == results[True][:2]
    assert results[False][2] == results[True][2]
    assert results[False][3] == results[True][3]


def _run_paths(text: str) -> str:
    """``text`` without what differs between any two runs: the job folders' names and the job markers."""
    return re.sub(r"/tmp/autograder-[^/]+/\d+-[^/'\"]+", "JOB", re.sub(r"'AUTOGRADER_JOB': '[^']*'", "MARKER", text))


def test_the_keyring_filter_refuses_only_the_keyring():
    """The seccomp program: keyring calls of x86_64, i386, aarch64 and arm, and every x32 call, get EPERM;
    other calls are allowed (checked by interpreting the classic BPF program)."""
    from autograder import zygote
    program = zygote.keyring_filter()
    code = [tuple(int.from_bytes(program[i + a:i + b], "little") for a, b in ((0, 2), (2, 3), (3, 4), (4, 8)))
            for i in range(0, len(program), 8)]

    def verdict(arch: int, nr: int) -> str:
        data, acc, pc = {0: nr, 4: arch}, 0, 0
        while True:
            op, jt, jf, k = code[pc]
            if op == 0x20:
                acc = data[k]
            elif op == 0x06:
                return {0x7FFF0000: "allow", 0x00050001: "EPERM"}[k]
            elif op == 0x05:
                pc += k
            else:
                pc += jt if (acc == k if op == 0x15 else acc >= k) else jf
            pc += 1

    for arch, calls in zygote.KEYRING_CALLS.items():
        assert [verdict(arch, nr) for nr in calls] == ["EPERM"] * 3
        assert [verdict(arch, nr) for nr in (0, 1, 57, calls[0] - 1, calls[-1] + 1)] == ["allow"] * 5
    assert verdict(0xC000003E, zygote.X32_BIT + 1) == "EPERM"
