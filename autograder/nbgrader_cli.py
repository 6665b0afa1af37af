"""Running nbgrader's own command line from this environment.

nbgrader looks some tools up on PATH (``alembic`` when it opens a gradebook; the kernel it starts), so the
folder of the running interpreter goes first on PATH: ``.venv/bin/python -m autograder`` then works without an
activated virtual environment.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra or {})
    return env


def call(args: list[str], root: Path, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """``nbgrader ARGS`` on the course at ``root`` (its nbgrader_config.py is read, its root forced to ``root``)."""
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=environment(), **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed (exit {result.returncode}):\n"
                           f"{result.stdout}{result.stderr}")
    return result
