"""What jupyter_client starts as a warm kernel's process: ``python -I -S zygote_client.py SOCKET REQUEST
CONNECTION_FILE`` asks the worker's zygote (``zygote.py``) for a kernel, hands it this process's stdin, stdout and
stderr (the kernel's log), waits, and exits with the kernel's exit status (``128 + signal`` when it was killed, as
bubblewrap reports it). Killing this process -- as jupyter_client does to stop a kernel -- makes the zygote kill the
kernel and its whole pid namespace.

Started for every notebook, so it imports almost nothing (``_socket``, not ``socket``; no ``json``): 10 ms.
``ask`` is also how ``warm.Zygotes`` runs its probe kernel.
"""
import array
import os
import sys

import _socket

MAX_REPLY = 1 << 16


def ask(socket_path: str, request: str, connection_file: str, fds,
        timeout: float | None = None) -> tuple[int, list[str], str | None]:
    """Ask the zygote at ``socket_path`` for a kernel (``request``: JSON, see ``warm.Zygotes.request``) whose stdin,
    stdout and stderr are ``fds``, and wait for its end (at most ``timeout`` seconds between messages): its exit
    status, the zygote's ``info`` messages, and what went wrong when the zygote refused or went away (the status is
    then 1)."""
    infos = []
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_SEQPACKET)
    sock.settimeout(timeout)
    try:
        sock.connect(socket_path)
        sock.sendmsg([request.encode() + b"\0" + connection_file.encode()],
                     [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, array.array("i", fds))])
        while True:
            try:
                reply = sock.recv(MAX_REPLY).decode(errors="replace")
            except OSError as error:
                reply = f"error {error}"
            if reply.startswith("exit "):
                return int(reply.split()[1]), infos, None
            if not reply.startswith("info "):
                return 1, infos, f"the zygote {reply[6:] if reply else 'went away'}"
            infos.append(reply[5:])
    except OSError as error:
        return 1, infos, f"cannot reach the zygote at {socket_path}: {error}"
    finally:
        sock.close()


if __name__ == "__main__":
    code, _, problem = ask(*sys.argv[1:4], (0, 1, 2))
    if problem:
        print(f"warm kernel: {problem}", file=sys.stderr)
    sys.stdout.flush()
    os._exit(code)
