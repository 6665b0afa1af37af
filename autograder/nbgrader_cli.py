"""Running nbgrader's own command line from this environment, and its generate_assignment step in this process.

nbgrader looks some tools up on PATH (``alembic`` when it opens a gradebook; the kernel it starts), so the
folder of the running interpreter goes first on PATH: ``.venv/bin/python -m autograder`` then works without an
activated virtual environment.

``generate_assignment`` runs nbgrader's own ``GenerateAssignment`` converter here rather than through its command
line: the command costs a Python start-up and nbgrader's imports (2.5 s on a quiet 2-core machine, several times
that on a busy one) for well under a second of work, and every grading run and every release pays it per assignment.
"""
from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path


def _interpreter_first(path: str) -> str:
    """``path`` (a PATH value) with the folder of this interpreter first, and not twice in a row."""
    folder = str(Path(sys.executable).parent)
    return path if path.split(os.pathsep)[0] == folder else os.pathsep.join([folder, path]) if path else folder


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a command of this virtual environment: its ``bin`` first on PATH."""
    env = dict(os.environ)
    env["PATH"] = _interpreter_first(env.get("PATH", ""))
    env.update(extra or {})
    return env


def put_interpreter_on_path() -> None:
    """Put the folder of this interpreter first on this process's own PATH, for what nbgrader starts from PATH in
    this process (``alembic`` when it creates a gradebook, in ``generate_assignment`` or ``gradebook.connect``):
    ``.venv/bin/python -m autograder`` calls it first, so no command needs the virtual environment activated.
    Calling it again changes nothing."""
    os.environ["PATH"] = _interpreter_first(os.environ.get("PATH", ""))


def call(args: list[str], root: Path, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """``nbgrader ARGS`` on the course at ``root`` (its nbgrader_config.py is read, its root forced to ``root``)."""
    # nbgrader's own entry point, after ``import autograder.gradebook``: no `alembic heads` process for a new
    # gradebook (alembic_head)
    launch = ("import autograder.gradebook, sys; from nbgrader.apps.nbgraderapp import main; sys.argv[0] = 'nbgrader'; "
              "main()")
    command = [sys.executable, "-c", launch, *args, f"--CourseDirectory.root={root}"]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, env=environment(), **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"`nbgrader {' '.join(args)}` failed (exit {result.returncode}):\n"
                           f"{result.stdout}{result.stderr}")
    return result


def generate_assignment(root: Path, assignment: str, config=None) -> None:
    """What ``nbgrader generate_assignment ASSIGNMENT --force`` does on the course at ``root`` (its
    ``nbgrader_config.py``, or ``config`` when given: a traitlets ``Config`` already parsed; its gradebook), in this
    process: the student version in ``root/release/``, the assignment's cells in the gradebook. Raises
    ``RuntimeError`` with nbgrader's log when it fails."""
    import copy

    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    from .settings import load_config   # settings imports the sandbox, which needs nothing of this module

    config = load_config(root) if config is None else copy.deepcopy(config)   # nbgrader's converters change it
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.assignment_id = assignment
    app = GenerateAssignment(coursedir=CourseDirectory(config=config), config=config)
    app.force = app.create_assignment = True
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setLevel(logging.WARNING)
    app.log.addHandler(handler)
    propagate, app.log.propagate = app.log.propagate, False   # the log goes in the error, not on the terminal
    try:
        app.start()
    except BaseException as error:   # nbgrader ends a failed conversion with NbGraderException, or sys.exit
        raise RuntimeError(f"`nbgrader generate_assignment {assignment}` failed: {error}\n{log.getvalue()}") from error
    finally:
        app.log.removeHandler(handler)
        app.log.propagate = propagate
