"""A throwaway PostgreSQL server for the tests of a shared gradebook.

``server()`` starts Debian's PostgreSQL (``/usr/lib/postgresql/<version>/bin``; ``.ci/run`` installs it) on a
new data folder, listening only on 127.0.0.1 on a free port, with a user ``grader`` (password auth) and a database
``gradebook``; it yields that database's SQLAlchemy URL (``postgresql+psycopg2://``), then stops the server and
removes the folder. PostgreSQL refuses to
run as root: as root, the server runs as the ``postgres`` system user, which owns the folder. ``database(url,
name)`` adds another database to the same server. ``missing()`` says why no server can be started, if so.
"""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from support.ports import free_port

USER = "grader"


def _bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]) if
                   p.parts[-3].isdigit() else 0)
    return found[-1].parent if found else None


def _as_server() -> list[str]:
    """The command prefix that runs a PostgreSQL binary as a user it accepts."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def missing() -> str | None:
    if _bin() is None:
        return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl; .ci/run installs `postgresql`)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root and there is no `runuser` to start PostgreSQL as `postgres`"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is not installed (pip install psycopg2-binary)"
    return None


def _run(command: list, **kwargs) -> None:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=120, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")


def database(url: str, name: str) -> str:
    """A new, empty database ``name`` on the server of ``url``; its URL."""
    from sqlalchemy import create_engine, make_url, text
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@contextmanager
def server():
    """Start a server; yield ``postgresql+psycopg2://grader:PASSWORD@127.0.0.1:PORT/gradebook``; stop it, remove
    its data."""
    reason = missing()
    if reason:
        raise RuntimeError(reason)
    binaries, prefix = _bin(), _as_server()
    folder = Path(tempfile.mkdtemp(prefix="postgres-"))
    data, password = folder / "data", secrets.token_hex(12)
    (folder / "password").write_text(password + "\n")
    if prefix:
        account = pwd.getpwnam("postgres")
        for path in (folder, folder / "password"):
            os.chown(path, account.pw_uid, account.pw_gid)
    started = False
    try:
        _run(prefix + [binaries / "initdb", "-D", data, "-U", USER, f"--pwfile={folder / 'password'}", "-E", "UTF8",
                       "--locale=C", "--auth-host=scram-sha-256", "--auth-local=peer", "--no-sync"], cwd=folder)
        for attempt in range(3):   # the port may be taken between choosing and binding it
            port = free_port()
            options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='{folder}' "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            try:
                _run(prefix + [binaries / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-t", "60",
                               "-o", options, "start"], cwd=folder)
                started = True
                break
            except RuntimeError as error:
                if attempt == 2:
                    raise RuntimeError((folder / "server.log").read_text()[-2000:]) from error
        url = f"postgresql+psycopg2://{USER}:{password}@127.0.0.1:{port}/postgres"
        yield database(url, "gradebook")
    finally:
        if started:
            subprocess.run(prefix + [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           cwd=folder, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
