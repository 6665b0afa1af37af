"""Warm kernels: per worker, a fork server (the "zygote") that has imported the kernel and the course's libraries
once and forks, for each notebook, a fresh kernel in a sandbox of its own.

Why: a kernel started cold spends about 0.6 s starting Python and ipykernel, then the notebook's first cell about
0.65 s importing numpy, matplotlib, ipywidgets and the course. A fork of a process that did both costs a few
milliseconds; what remains is ipykernel's own set-up (sockets, threads, the IPython shell).

Per worker slot, the zygote runs in a bubblewrap sandbox like a kernel's (``sandbox.Launcher.zygote_argv``: same
read-only trees, clean environment, private /tmp, new pid, net, ipc and uts namespaces, ``--die-with-parent``), as
root with only the capabilities it needs to build sandboxes, non-dumpable. It never runs a student's code and never
reads anything a student wrote: it imports ``KERNEL_IMPORTS`` and ``CELL_IMPORTS`` from the read-only trees, listens
on a unix socket in a folder only root can enter, and for each connection forks. What it holds in memory is what
every kernel starts from.

For each kernel, three processes, the layout bubblewrap gives a kernel started cold:

monitor (the zygote's child, in the zygote's namespaces)
    reads the request (the job's folders, the kernel's environment, ipykernel's arguments; the launcher's stdin,
    stdout and stderr passed as file descriptors), unshares a new pid namespace and forks the init. It tells the
    launcher the kernel's exit status (``128 + signal`` when killed, as bubblewrap does), and kills the init --
    and with it every process of the kernel's pid namespace -- when the launcher goes away.
init (pid 1 of the new pid namespace)
    unshares new mount, network, ipc, uts (and cgroup) namespaces; unmounts the zygote's /tmp and scratch folder
    (its socket, other jobs), mounts a fresh /tmp (``Isolation.tmp_mb``) and moves only the job's ``work`` and
    ``run`` folders back in where they were; a fresh devpts, its own /proc; brings up its own loopback. It closes
    every descriptor but the kernel's stdio, starts a new session, forks the kernel, drops its own capabilities and
    reaps until the kernel ends.
kernel (pid 2)
    sets its rlimits (address space, CPU time, processes, file size, core), drops to the worker's uid (groups,
    gid, uid; every capability, the bounding set included; no_new_privs), blocks the kernel keyring with seccomp
    (keyrings belong to a uid, not to a namespace: a kernel could leave a key there for the next kernel of its
    worker, which has the same uid), checks all of it in /proc/self/status and refuses to run otherwise, takes the
    job's environment and working folder, then runs ipykernel as ``python -m ipykernel_launcher`` would.

What differs from a kernel started cold, and how it is made not to matter: the preloaded modules are already in
``sys.modules`` (a working folder holding a file or folder that would shadow one of them, or a ``matplotlibrc``, gets
a cold kernel: ``shadowing``); ipywidgets registers its comm targets when imported under a kernel, so the kernel
does it once its shell exists; matplotlib's config and cache folders are looked up again in the job's environment;
numpy's global random state is seeded again (Python's ``random`` does so itself after a fork); what the imports
put in the environment and the warnings filters is put back in the same order. The notebooks' imports must print
nothing: it would be a cold kernel's first output, so a zygote whose imports printed anything is not used
(``warm.Zygotes``). What remains: the code those imports ran counts as run, and CPython 3.11 specialises code
that ran a few times, after which IPython (through ``executing``) no longer colours the failing expression of that
code's frames in a traceback -- a cold kernel that imported the same modules is in the same state.

The grader asks a zygote for a kernel through ``zygote_client.py``, the kernel command jupyter_client starts: it
hands over its stdio and waits, then exits with the kernel's status. jupyter_client sees an ordinary kernel process:
killing it ends the kernel, its exit is the kernel's death.

This file runs as the zygote in its sandbox (``python zygote.py serve CONFIG``; the grader's side is ``warm.py``). It
imports only the standard library, none of the autograder.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys

# What the zygote imports once. The kernel and what ipykernel imports while it starts (its debugger and debugpy,
# IPython's history and extensions: 0.2 s of every start); what they print goes to a cold kernel's log.
KERNEL_IMPORTS = ("ipykernel.kernelapp", "ipykernel.debugger", "IPython", "IPython.core.completerlib",
                  "IPython.core.debugger", "IPython.core.oinspect", "IPython.core.logger",
                  "IPython.extensions.storemagic", "sqlite3", "faulthandler", "tornado.platform.asyncio", "tornado.gen",
                  "tornado.queues")
# What the first cell of the course's notebooks imports; what they print would be that cell's output in a cold
# kernel, so they must print nothing (``imports.log`` stays empty, or the zygote is not used).
CELL_IMPORTS = ("numpy", "matplotlib", "matplotlib.pyplot", "ipywidgets",
                "course", "course.gradcheck", "course.graph", "course.data", "course.widgets")
# The inline backend, as ipykernel sets it, before matplotlib is imported (matplotlib reads it at import).
MPLBACKEND = "module://matplotlib_inline.backend_inline"
SOCKET_NAME = "zygote.sock"
MAX_REQUEST = 1 << 16      # as zygote_client's

# -- Linux constants (x86_64 and aarch64 share them) ------------------------------------------------------------------
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x08000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE, MNT_DETACH = 4096, 8192, 16384, 1 << 18, 2
PR_SET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_DUMPABLE, PR_SET_SECCOMP = 1, 3, 4, 22
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 38, 47, 4
SECCOMP_MODE_FILTER = 2
# Kernel keyring calls (add_key, request_key, keyctl) per audit architecture; x32 calls are refused altogether.
KEYRING_CALLS = {0xC000003E: (248, 249, 250),     # x86_64
                 0x40000003: (286, 287, 288),     # i386 (int 0x80 from a 64-bit process)
                 0xC00000B7: (217, 218, 219),     # aarch64
                 0x40000028: (309, 310, 311)}     # arm (compat)
X32_BIT = 0x40000000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 1
# bubblewrap covers these with read-only binds in the /proc it mounts (those it can write); so does the init.
PROC_COVERS = ("sys", "sysrq-trigger", "irq", "bus")


# ==================================================================================================================
# The zygote (runs inside its sandbox as root).
# ==================================================================================================================
class _Libc:
    """The few system calls Python 3.11 does not offer, through ctypes; each raises OSError on failure."""

    def __init__(self):
        import ctypes
        self.ctypes = ctypes
        self.lib = ctypes.CDLL(None, use_errno=True)

    def _check(self, result, what):
        if result == -1:
            errno = self.ctypes.get_errno()
            raise OSError(errno, f"{what}: {os.strerror(errno)}")
        return result

    def unshare(self, flags: int) -> None:
        self._check(self.lib.unshare(flags), "unshare")

    def mount(self, source, target, fstype, flags: int, data=None) -> None:
        args = [None if a is None else str(a).encode() for a in (source, target, fstype)]
        self._check(self.lib.mount(*args, self.ctypes.c_ulong(flags), None if data is None else data.encode()),
                    f"mount {target}")

    def umount(self, target, flags: int) -> None:
        self._check(self.lib.umount2(str(target).encode(), flags), f"umount {target}")

    def prctl(self, option: int, arg: int = 0, arg3: int = 0) -> int:
        c = self.ctypes.c_ulong
        return self._check(self.lib.prctl(option, c(arg), c(arg3), c(0), c(0)), f"prctl {option}")

    def clear_capabilities(self) -> None:
        """capset: empty effective, permitted and inheritable sets (setuid leaves the inheritable set)."""
        header = (self.ctypes.c_uint32 * 2)(0x20080522, 0)      # _LINUX_CAPABILITY_VERSION_3, this thread
        data = (self.ctypes.c_uint32 * 6)()
        self._check(self.lib.capset(header, data), "capset")

    def seccomp(self, program: bytes) -> None:
        """Install the classic-BPF ``program`` (struct sock_filter[]) as this thread's seccomp filter."""
        ctypes = self.ctypes
        filters = ctypes.create_string_buffer(program, len(program))

        class Prog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

        prog = Prog(len(program) // 8, ctypes.cast(filters, ctypes.c_void_p))
        self._check(self.lib.prctl(PR_SET_SECCOMP, ctypes.c_ulong(SECCOMP_MODE_FILTER), ctypes.byref(prog),
                                   ctypes.c_ulong(0), ctypes.c_ulong(0)), "seccomp")


def keyring_filter() -> bytes:
    """A seccomp program (struct sock_filter[]) that fails the kernel keyring's calls, and every x32 call, with
    EPERM and allows everything else."""
    import struct
    ld, jeq, jge, ja, ret = 0x20, 0x15, 0x35, 0x05, 0x06   # BPF_LD|W|ABS, BPF_JMP|JEQ|K, ..|JGE|K, ..|JA, BPF_RET|K
    allow, deny = 0x7FFF0000, 0x00050000 | 1                # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM
    # Per architecture, a block: load the call's number, jump to "deny" on a keyring call, else to "allow". A jump's
    # target is a label, resolved below (jumps count the instructions after the jump).
    program: list[tuple] = [(ld, 0, 0, 4)]                  # seccomp_data.arch
    for arch, calls in KEYRING_CALLS.items():
        block = [(ld, 0, 0, 0)]                             # seccomp_data.nr
        if arch == 0xC000003E:
            block.append((jge, "deny", 0, X32_BIT))
        block += [(jeq, "deny", 0, nr) for nr in calls] + [(ja, 0, 0, "allow")]
        program += [(jeq, 0, len(block), arch), *block]    # another architecture: skip the block
    labels = {"allow": len(program), "deny": len(program) + 1}
    program += [(ret, 0, 0, allow), (ret, 0, 0, deny)]

    def resolve(at: int, value):
        return labels[value] - at - 1 if isinstance(value, str) else value
    return b"".join(struct.pack("=HBBI", op, resolve(at, jt), resolve(at, jf), resolve(at, k))
                    for at, (op, jt, jf, k) in enumerate(program))


def _cap_last() -> int:
    with open("/proc/sys/kernel/cap_last_cap") as f:
        return int(f.read())


def serve(config: dict) -> None:
    """The zygote: import ``KERNEL_IMPORTS`` and ``CELL_IMPORTS``, listen, fork a monitor per connection. Only the
    kernel process returns from here (with its request): the caller runs it."""
    os.environ["MPLBACKEND"] = MPLBACKEND
    libc = _Libc()
    libc.prctl(PR_SET_DUMPABLE, 0)        # no kernel may ptrace it or read its memory
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1)
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]                   # as ipykernel_launcher removes the working folder
    import importlib
    import resource
    import select
    import struct
    import warnings
    environ = dict(os.environ)
    for name in KERNEL_IMPORTS:
        importlib.import_module(name)
    kernel_filters = list(warnings.filters)
    with _output_to(config["imports_log"]):
        for name in CELL_IMPORTS:
            importlib.import_module(name)
        _first_figure()
    # What the imports did to the environment (debugpy sets PYDEVD_USE_FRAME_EVAL) is done again in each kernel's;
    # the warnings filters the cell imports added go back in front of those ipykernel adds as it starts.
    config["environ"] = {k: v for k, v in os.environ.items() if environ.get(k) != v and k != "MPLBACKEND"}
    config["unset"] = [k for k in environ if k not in os.environ]
    config["cell_filters"] = [f for f in warnings.filters if f not in kernel_filters]
    config["seccomp"] = keyring_filter()
    config["cap_last"] = _cap_last()
    refused = _unsafe_to_fork()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    server.bind(config["socket"] + ".new")
    server.listen(64)
    os.rename(config["socket"] + ".new", config["socket"])     # there once it listens: the sign it is ready
    if refused:
        print(f"zygote: {refused}", file=sys.stderr, flush=True)
    while True:
        conn, _ = server.accept()
        if refused:
            conn.send(f"error refused: {refused}".encode())
            conn.close()
            continue
        while True:                       # reap the monitors that ended
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        if os.fork() == 0:
            os.close(server.detach())
            break
        conn.close()
    kernel = _monitor(conn, config, libc, resource, select, struct)
    return kernel


class _output_to:
    """Send stdout and stderr (Python's and the file descriptors) to ``path`` for a while."""

    def __init__(self, path: str):
        self.path = path

    def __enter__(self):
        self._flush()
        self.saved = [os.dup(1), os.dup(2)]
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for target in (1, 2):
            os.dup2(fd, target)
        os.close(fd)

    def __exit__(self, *exc):
        self._flush()
        for target, fd in zip((1, 2), self.saved):
            os.dup2(fd, target)
            os.close(fd)

    @staticmethod
    def _flush():
        sys.stdout.flush()
        sys.stderr.flush()


def _first_figure() -> None:
    """Draw one figure as the inline backend saves one (text, mathtext, log axes, a legend, a tight PNG) and throw
    it away. A process's first figure costs more than the next ones (matplotlib's font lookup, the mathtext
    grammar, the PNG writer, the fonts); every notebook of the course draws, so each kernel forked from here starts
    with those caches filled. Only caches: pyplot is not used (no figure number is taken), no setting is changed."""
    import io
    from matplotlib.figure import Figure

    figure = Figure(figsize=(3, 2))
    axes = figure.add_subplot()
    axes.loglog([1e-3, 1.0], [1e-6, 1.0], label="x")
    axes.set_title(r"$\frac{\partial c}{\partial \mathbf{x}}$ (1)")
    axes.legend()
    figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    del figure, axes
    # The font objects keep their files open, and a forked kernel would share those descriptors (and their
    # offsets) with every other kernel of this zygote: they go, and a kernel opens its own fonts again. The font
    # lookup, the mathtext grammar and the rest stay warm (0.2 s of the first figure's 0.45 s, measured).
    import gc
    import matplotlib.font_manager
    import matplotlib.mathtext
    matplotlib.font_manager._get_font.cache_clear()
    matplotlib.mathtext.MathTextParser._parse_cached.cache_clear()
    gc.collect()


def _unsafe_to_fork() -> str | None:
    """Why forking this process would hand a kernel more than the imports (None: it would not)."""
    threads = os.listdir("/proc/self/task")
    if len(threads) != 1:
        return f"the imports started {len(threads) - 1} thread(s)"
    extra = sorted(int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2)[:-1]   # the listing's own fd
    if extra:
        return f"the imports left file descriptors open: {extra}"
    return None


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def _monitor(conn: socket.socket, config: dict, libc: _Libc, resource, select, struct):
    """The zygote's child for one connection: read the request, fork the kernel's init into a new pid namespace,
    report its end or kill it when the launcher goes away. Returns only in the kernel process."""
    try:
        _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                      struct.calcsize("3i")))
        if uid != os.getuid():
            raise PermissionError(f"a process of uid {uid} asked for a kernel")
        message, fds, _, _ = socket.recv_fds(conn, MAX_REQUEST, 3)
        if len(fds) != 3:
            raise ValueError("the request did not carry stdin, stdout and stderr")
        request_text, connection_file = message.decode().split("\0")
        request = json.loads(request_text)
        request["argv"] = ["-f", connection_file]
        job = _job_folders(request, config)
        libc.unshare(CLONE_NEWPID)
    except Exception as error:
        conn.send(f"error {error.__class__.__name__}: {error}".encode())
        os._exit(1)
    init = os.fork()
    if init == 0:
        return _init(conn, fds, request, job, config, libc, resource)
    for fd in fds:
        os.close(fd)
    if request.get("probe"):
        conn.send(("info " + json.dumps({"zygote_dumpable": libc.prctl(PR_GET_DUMPABLE)})).encode())
    pidfd = os.pidfd_open(init)
    poller = select.poll()
    poller.register(conn, select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    while True:
        for fd, _ in poller.poll():
            if fd == pidfd:
                code = _exit_code(os.waitpid(init, 0)[1])
                try:
                    conn.send(f"exit {code}".encode())
                finally:
                    os._exit(0)
            # the launcher wrote (it never does) or went away: the kernel's whole pid namespace goes with it
            os.kill(init, signal.SIGKILL)
            os.waitpid(init, 0)
            os._exit(0)


def _job_folders(request: dict, config: dict) -> list[str]:
    """The job's ``work`` and ``run`` folders, checked: in ``base``, itself directly in the zygote's scratch folder."""
    scratch = os.path.realpath(config["scratch"])
    base = os.path.realpath(request["base"])
    if os.path.dirname(base) != scratch:
        raise ValueError(f"{base} is not a job folder of {scratch}")
    folders = [os.path.realpath(request[name]) for name in ("work", "runtime")]
    for path in folders:
        if os.path.dirname(path) != base or not os.path.isdir(path):
            raise ValueError(f"{path} is not a folder in {base}")
    return folders


def _init(conn, fds, request, job, config, libc: _Libc, resource):
    """pid 1 of the kernel's pid namespace: build the kernel's sandbox, fork the kernel, reap. Returns only in the
    kernel process."""
    try:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        os.close(conn.detach())
        libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)
        try:
            libc.unshare(CLONE_NEWCGROUP)
        except OSError:                   # as bubblewrap's --unshare-cgroup-try
            pass
        _mounts(job, config, libc)
        _loopback_up()
        for i, fd in enumerate(fds):
            os.dup2(fd, i)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        os.setsid()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
    except Exception as error:
        print(f"warm kernel: the sandbox could not be built: {error}", file=sys.stderr, flush=True)
        os._exit(1)
    kernel = os.fork()
    if kernel == 0:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL)
        _become_kernel(request, config, libc, resource)
        request.update(cell_filters=config["cell_filters"], imported_environ=config["environ"])
        return request
    try:
        for cap in range(config["cap_last"] + 1):
            libc.prctl(PR_CAPBSET_DROP, cap)
        libc.clear_capabilities()
    except OSError as error:
        print(f"warm kernel: init kept capabilities: {error}", file=sys.stderr, flush=True)
        os.kill(kernel, signal.SIGKILL)
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(1)
        if pid == kernel:
            os._exit(_exit_code(status))


def _mounts(job: list[str], config: dict, libc: _Libc) -> None:
    """The kernel's file system (in its new mount namespace): the zygote's (read-only trees, /dev) with a fresh /tmp
    in place of the zygote's, the zygote's scratch folder (its socket, other jobs) gone and only the job's two folders
    bound back where they were, a new devpts instance and a /proc of the new pid namespace: the mounts bubblewrap
    gives a kernel started cold."""
    libc.mount(None, "/", None, MS_REC | MS_PRIVATE)
    scratch = os.path.realpath(config["scratch"])
    in_tmp = scratch.startswith("/tmp/")
    # The job's folders wait in a private tmpfs on /dev/shm (bubblewrap's /dev has it as an empty folder) while what
    # held them is unmounted; a bind's source must be in this namespace, so they are opened here.
    libc.mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700,size=4096")
    staged = {}
    for index, path in enumerate(job):
        fd = os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        staged[path] = f"/dev/shm/{index}"
        os.mkdir(staged[path])
        libc.mount(f"/proc/self/fd/{fd}", staged[path], None, MS_BIND)
        libc.mount(None, staged[path], None, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV)
        os.close(fd)
    # Read-only trees under /tmp (a venv in a clone there): staged read-only, and put back over the fresh /tmp.
    trees = {}
    for index, path in enumerate(config.get("tmp_trees", [])):
        fd = os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        trees[path] = f"/dev/shm/tree{index}"
        os.mkdir(trees[path])
        libc.mount(f"/proc/self/fd/{fd}", trees[path], None, MS_BIND | MS_REC)
        libc.mount(None, trees[path], None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(fd)
    libc.umount(scratch, MNT_DETACH)
    if in_tmp:
        libc.umount("/tmp", MNT_DETACH)
    libc.mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={config['tmp_bytes']}")
    if not in_tmp:   # a folder of bubblewrap's root (warm.problem), whose tmpfs the zygote shares: one of its own
        libc.mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=65536")
    for path, stage in [*trees.items(), *staged.items()]:
        _make_dirs(path)
        libc.mount(stage, path, None, MS_MOVE)
    libc.umount("/dev/shm", 0)
    libc.umount("/dev/pts", MNT_DETACH)
    libc.mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620")
    # bubblewrap covered some of /proc's old subfolders read-only in the zygote's /proc (those it could write
    # here): the same ones are covered in the kernel's
    with open("/proc/self/mountinfo") as f:
        covers = [p for p in (line.split()[4] for line in f) if p.startswith("/proc/") and p[6:] in PROC_COVERS]
    libc.umount("/proc", MNT_DETACH)
    libc.mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for path in covers:
        libc.mount(path, path, None, MS_BIND | MS_REC)
        libc.mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.chdir("/")                         # the zygote's folder, its cwd until now, is gone too


def _make_dirs(path: str) -> None:
    """``path`` and its missing parents, 0755 (as bubblewrap's --dir: the unprivileged kernel must cross them)."""
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        _make_dirs(parent)
    if not os.path.isdir(path):
        os.mkdir(path)
        os.chmod(path, 0o755)


def _loopback_up() -> None:
    """bubblewrap brings up the loopback of the network namespace it makes (127.0.0.1 then works inside)."""
    import fcntl
    import struct
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        flags = struct.unpack("16sH14x", fcntl.ioctl(s, SIOCGIFFLAGS, struct.pack("16sH14x", b"lo", 0)))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def _become_kernel(request: dict, config: dict, libc: _Libc, resource) -> None:
    """The kernel process, before ipykernel: limits, the worker's uid without any privilege, the job's folder and
    environment, and the state a fresh Python would have. Any failure ends the process before a student's code."""
    try:
        os.chdir(request["work"])
        for name, value in config["limits"].items():
            resource.setrlimit(getattr(resource, f"RLIMIT_{name.upper()}"), (value, value))
        uid = config["uid"]
        for cap in range(config["cap_last"] + 1):
            libc.prctl(PR_CAPBSET_DROP, cap)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        libc.clear_capabilities()
        libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1)
        libc.seccomp(config["seccomp"])
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)      # cleared by the change of uid: set after it
        libc.prctl(PR_SET_DUMPABLE, 1)                    # as a kernel started cold (the memory is its own now)
        problem = _not_sandboxed(uid)
        if problem:
            raise PermissionError(problem)
    except Exception as error:
        print(f"warm kernel: refusing to run: {error}", file=sys.stderr, flush=True)
        os._exit(1)
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["PWD"] = request["work"]    # as bubblewrap's --chdir
    os.environ.update(config["environ"])
    for key in config["unset"]:
        os.environ.pop(key, None)
    _fresh_state()


def _not_sandboxed(uid: int) -> str | None:
    """What /proc/self/status says is wrong with the kernel's privileges (None: nothing)."""
    with open("/proc/self/status") as f:
        status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    wrong = [key for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb") if int(status[key], 16)]
    if status.get("NoNewPrivs") != "1":
        wrong.append("NoNewPrivs")
    if status.get("Seccomp") != "2":
        wrong.append("Seccomp")
    if status["Uid"].split() + status["Gid"].split() != [str(uid)] * 8 or status.get("Groups", "").strip():
        wrong.append("Uid/Gid/Groups")
    fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
    if fds[:3] != [0, 1, 2] or len(fds) > 4:                # the listing's own descriptor is the 4th
        wrong.append(f"descriptors {fds}")
    return ", ".join(wrong) or None


def _fresh_state() -> None:
    """Undo what being imported in the zygote rather than in this kernel changed."""
    import numpy
    numpy.random.seed()                   # the legacy global generator was seeded once, in the zygote
    import matplotlib
    for getter in (matplotlib.get_configdir, matplotlib.get_cachedir):
        # _logged_cached memoizes in its closure ("called", "ret"): look the folder up again, in this environment
        cells = dict(zip(getter.__code__.co_freevars, getter.__closure__ or ()))
        cells["called"].cell_contents, cells["ret"].cell_contents = False, None
    texmanager = sys.modules.get("matplotlib.texmanager")
    if texmanager is not None:
        from pathlib import Path
        texmanager.TexManager._cache_dir = Path(matplotlib.get_cachedir(), "tex.cache")


def run_kernel(request: dict) -> None:
    """What ``python -m ipykernel_launcher -f CONNECTION_FILE`` does, with ipywidgets' registration once the shell
    exists (it happens at import under a kernel, and ipywidgets was imported before there was one)."""
    import importlib.util
    from ipykernel.kernelapp import IPKernelApp
    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["argv"]]
    app = IPKernelApp.instance()
    app.initialize(request["argv"])
    if "ipywidgets" in sys.modules:
        sys.modules["ipywidgets"]._handle_ipython()
    import warnings
    cell = request.get("cell_filters", [])
    warnings.filters[:] = [f for f in warnings.filters if f in cell] + [f for f in warnings.filters if f not in cell]
    warnings._filters_mutated()
    app.start()


def self_check(request: dict) -> None:
    """The probe's kernel: report, as JSON on stdout, what a kernel's code would find."""
    import resource
    result = {"pid": os.getpid(), "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
              "tmp": os.listdir("/tmp"), "tmp_bytes": os.statvfs("/tmp").f_blocks * os.statvfs("/tmp").f_frsize,
              "cwd": os.getcwd(), "env": dict(os.environ), "imported_environ": request["imported_environ"],
              "net": sorted(line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]),
              "unix_sockets": len(open("/proc/net/unix").readlines()) - 1,
              "limits": {name: resource.getrlimit(getattr(resource, f"RLIMIT_{name.upper()}"))[0]
                         for name in ("as", "cpu", "nproc", "fsize", "core")},
              "status": {line.split(":")[0]: line.split(":", 1)[1].strip() for line in open("/proc/self/status")},
              "modules": sorted({name.split(".")[0] for name in sys.modules}),
              "visible": {path: os.path.exists(path) for path in request["hidden"]}}
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
        result["loopback"] = True
    except OSError:
        result["loopback"] = False
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    keyctl = {"x86_64": 250, "aarch64": 219}[os.uname().machine]          # KEYCTL_GET_KEYRING_ID of @u
    result["keyctl"] = libc.syscall(ctypes.c_long(keyctl), ctypes.c_long(0), ctypes.c_long(-4),
                                    ctypes.c_long(0)), ctypes.get_errno()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    request = serve(json.loads(sys.argv[2]))
    if request.get("probe"):
        self_check(request)
        os._exit(0)
    run_kernel(request)
