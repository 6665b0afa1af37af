"""The ``autograded/`` folder: each submission's graded folder replaced whole, and what a run started again keeps.

``store`` writes ``autograded/<student>/<assignment>/`` (the graded notebooks, the files nbgrader's autograde puts
beside them, ``autograder.json``; with the modes nbgrader gives them) in an order that a run killed at any point
and started again ends with the gradebook of a clean run: everything into ``.<assignment>.partial.<host>.<pid>``
first, then the gradebook, then the partial folder swapped in for the old one. ``already_graded`` is how the next
run resumes: a submission whose record says it was graded from the same content, and that the gradebook holds, is
not graded again. ``remove_stale`` deletes the partial and old folders of runs of this host that died half-way.
"""
from __future__ import annotations

import errno
import os
import shutil
import socket
from pathlib import Path

import nbformat

from . import gradebook, outcome
from .coursedir import Course
from .outcome import Outcome
from .submission import Submission

# This run's own suffix of the folders it writes beside autograded/<student>/<assignment>: another run (sharing the
# gradebook) may be finishing the same submission at the same moment.
RUN_TAG = f"{socket.gethostname()}.{os.getpid()}"


def _stale(folder: Path) -> bool:
    """Whether ``folder`` (``.<assignment>.partial.<host>.<pid>`` or ``.old.``) was left by a run of this host
    that is gone (killed half-way); another host's, or a running one's, is not."""
    name = folder.name
    host, _, pid = name.split(".partial." if ".partial." in name else ".old.", 1)[1].rpartition(".")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return False


def remove_stale(course: Course) -> None:
    """Delete the partial and old folders left under ``autograded/`` by runs of this host that are gone."""
    for leftover in [*course.autograded.glob("*/.*.partial.*"), *course.autograded.glob("*/.*.old.*")]:
        if _stale(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(partial: Path, final: Path, old: Path) -> None:
    """Put ``partial`` in the place of ``final`` (moved to ``old``, then deleted)."""
    for attempt in range(10):   # another run may swap its folder in meanwhile: the last one in wins, whole
        shutil.rmtree(old, ignore_errors=True)
        try:
            os.replace(final, old)
        except FileNotFoundError:   # graded for the first time, or another run is between its two renames
            pass
        try:
            os.replace(partial, final)
            break
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST) or attempt == 9:
                raise
    shutil.rmtree(old, ignore_errors=True)


def _copy_files(course: Course, assignment: str, submitted: Path, dest: Path) -> None:
    """The files nbgrader's autograde puts beside the graded notebooks (nbgrader/converters/base.py and
    autograde.py, ``init_assignment``): the submission's, but its notebooks and what ``c.CourseDirectory.ignore``
    matches (``__pycache__``, checkpoints ...), then the assignment's source files over them
    (``Course.source_files``: but those ``c.Autograde.exclude_overwriting`` names). Links are not followed."""
    for path, rel in [*course.files(submitted, ["*.ipynb"]), *course.source_files(assignment)]:
        if path.is_file() and not path.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            (dest / rel).unlink(missing_ok=True)
            shutil.copyfile(path, dest / rel)


def _set_permissions(course: Course, folder: Path) -> None:
    """The modes nbgrader's autograde gives the folder it wrote (``BaseConverter.set_permissions``): every file
    ``c.Autograde.permissions`` (444, or 664 with ``c.CourseDirectory.groupshared``); with groupshared, the
    folders and ``autograded/`` itself also get g+rwxs."""
    mode = int(str(course.autograde.permissions), 8)
    shared = course.directory.groupshared
    folders = [folder, course.autograded] if shared else []
    for dirname, subdirs, filenames in os.walk(folder):
        for name in filenames:
            os.chmod(os.path.join(dirname, name), mode)
        folders += [Path(dirname) / d for d in subdirs] if shared else []
    for path in folders:
        current = path.stat().st_mode
        if current & 0o2770 != 0o2770:
            try:
                os.chmod(path, (current | 0o2770) & 0o2777)
            except PermissionError:
                pass   # a folder of another grader's: nbgrader warns and goes on


def store(course: Course, record: Outcome, submitted: Path, notebooks: list[tuple[str, object]]) -> None:
    """Write the graded ``notebooks`` (``(name, notebook)`` pairs), the files nbgrader puts beside them
    (``_copy_files``) and ``record`` into the submission's autograded folder, with nbgrader's modes, and
    ``record`` into the gradebook with its late penalty."""
    final = course.autograded / record.student / record.assignment
    partial = final.parent / f".{record.assignment}.partial.{RUN_TAG}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    _copy_files(course, record.assignment, submitted, partial)
    for name, nb in notebooks:
        nbformat.write(nb, partial / f"{name}.ipynb")
    outcome.save(record, partial)
    _set_permissions(course, partial)
    seconds_late, penalty = gradebook.record(course.db_url, record, course.late_penalties)
    if seconds_late > 0:
        record.late = f"late by {outcome.late_by(seconds_late)}, penalty {penalty:g} point{'s' if penalty != 1 else ''}"
    _swap(partial, final, final.parent / f".{record.assignment}.old.{RUN_TAG}")


def already_graded(course: Course, sub: Submission, digest: str) -> Outcome | None:
    """The stored result of ``sub`` if it was graded from the same content (``digest``) and the gradebook has it."""
    record = outcome.load(course.autograded / sub.student / sub.assignment)
    if record is None or record.hash != digest or gradebook.verify(course.db_url, [record]):
        return None
    return record
