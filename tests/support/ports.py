"""A free TCP port on 127.0.0.1, for the servers the tests start (JupyterLab, PostgreSQL) and for addresses where
nothing must listen."""
from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on now (the OS's pick: free when this returns, not reserved)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
