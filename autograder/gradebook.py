"""Everything grading writes to nbgrader's gradebook, in one place and from one thread.

Workers never open the gradebook: they return results, and the main thread records each submission in one
transaction (``record``), retrying when the database is locked by someone else (the formgrader, another
grading run). ``verify`` checks at the end that every graded submission has all its autograded scores.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import nbformat
from nbgrader import utils as nbutils
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import OperationalError, SAWarning

from . import coursedir, nbgrader_cli


def open(db_url: str) -> Gradebook:
    """nbgrader's ``Gradebook(db_url)``, usable as a context manager. nbgrader runs ``alembic`` from PATH when it
    opens a gradebook: the folder of this interpreter goes first on PATH, so no activated venv is needed."""
    os.environ["PATH"] = nbgrader_cli.environment()["PATH"]
    return Gradebook(db_url)


def default_url(root: Path) -> str:
    return f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


def _up_to_date(db_url: str, root: Path, assignment: str) -> bool:
    """Whether the gradebook holds the assignment's current graded cells (grade ids, points, locked sources)."""
    nb = nbformat.read(coursedir.source_notebook(root, assignment), as_version=4)
    try:
        with open(db_url) as gb:
            stored = gb.find_notebook(assignment, assignment)
            sources = {c.name: c.source for c in stored.source_cells if c.locked}
            points = {c.name: c.max_score for c in stored.grade_cells}
    except MissingEntry:
        return False
    want_points, want_sources = {}, {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            want_points[meta["grade_id"]] = float(meta["points"])
        if meta.get("locked") and not meta.get("solution"):
            want_sources[meta["grade_id"]] = cell.source
    return points == want_points and all(sources.get(k) == v for k, v in want_sources.items())


def sync(root: Path, db_url: str, assignments: list[str]) -> list[str]:
    """Make the gradebook know each assignment's current cells (nbgrader's generate_assignment, run on a
    temporary copy of the course so release/ is not touched). Returns the assignments it had to update."""
    updated = []
    for assignment in assignments:
        if _up_to_date(db_url, root, assignment):
            continue
        with tempfile.TemporaryDirectory(prefix="sync-") as tmp:
            work = Path(tmp)
            shutil.copy2(root / "nbgrader_config.py", work / "nbgrader_config.py")
            shutil.copytree(root / "source" / assignment, work / "source" / assignment)
            nbgrader_cli.run(["generate_assignment", assignment, "--force", "--log-level=WARN",
                              f"--CourseDirectory.db_url={db_url}"], work)
        updated.append(assignment)
    return updated


def _retrying(action, attempts: int = 60):
    for attempt in range(attempts):
        try:
            return action()
        except OperationalError as error:
            if "locked" not in str(error).lower() and "busy" not in str(error).lower() or attempt == attempts - 1:
                raise
            time.sleep(min(0.05 * 2 ** attempt, 2.0))


def record(db_url: str, outcome) -> None:
    """Write one graded submission (an ``grade.Outcome``) in one transaction."""
    def write():
        with warnings.catch_warnings(), open(db_url) as gb:
            # nbgrader's update_or_create_submission trips SQLAlchemy's autoflush warnings; they are harmless.
            warnings.simplefilter("ignore", SAWarning)
            try:
                gb.update_or_create_student(outcome.student)
                if outcome.timestamp:
                    gb.update_or_create_submission(outcome.assignment, outcome.student, timestamp=outcome.timestamp)
                else:
                    gb.update_or_create_submission(outcome.assignment, outcome.student)
                for notebook in outcome.notebooks:
                    sn = gb.find_submission_notebook(notebook.name, outcome.assignment, outcome.student)
                    for grade in sn.grades:
                        score = notebook.scores.get(grade.name)
                        grade.auto_score = score
                        grade.needs_manual_grade = grade.manual_score is not None or score is None
                    for comment in sn.comments:
                        comment.auto_comment = "No response." if comment.name in notebook.unanswered else None
                    sn.flagged = bool(outcome.flags)
                gb.db.commit()
            except Exception:
                gb.db.rollback()
                raise
    _retrying(write)


def verify(db_url: str, outcomes) -> list[str]:
    """Problems with what the gradebook holds for ``outcomes``: missing submissions or autograded scores."""
    problems = []
    with open(db_url) as gb:
        for outcome in outcomes:
            for notebook in outcome.notebooks:
                try:
                    sn = gb.find_submission_notebook(notebook.name, outcome.assignment, outcome.student)
                except MissingEntry:
                    problems.append(f"{outcome.student}/{outcome.assignment}: not in the gradebook")
                    continue
                for grade in sn.grades:
                    want = notebook.scores.get(grade.name)
                    if grade.auto_score != want:
                        problems.append(f"{outcome.student}/{outcome.assignment}/{grade.name}: gradebook has "
                                        f"{grade.auto_score}, graded {want}")
    return problems


def autograded_cells(nb) -> dict[str, float]:
    """grade_id -> points of the autograded test cells of a notebook."""
    return {c.metadata.nbgrader["grade_id"]: float(c.metadata.nbgrader["points"]) for c in nb.cells
            if nbutils.is_grade(c) and not nbutils.is_solution(c)}
