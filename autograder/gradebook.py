"""Everything grading writes to nbgrader's gradebook, in one place and from one thread.

The gradebook is at any SQLAlchemy URL nbgrader accepts: ``--db``, else ``c.CourseDirectory.db_url`` of the
course's nbgrader_config.py, else ``sqlite:///<course>/gradebook.db`` (resolved by ``coursedir.Course``). On
PostgreSQL several grading runs and the formgrader share it.

Everything opens it with ``connect`` (which retries a clash). Workers never open the gradebook: they return
results, and the main thread records each submission in one
transaction (``record``), run again from the start when it clashed with another writer (the formgrader, another
grading run: ``_conflict``). ``sync`` lets one run at a time rewrite an assignment's cells. ``verify`` checks at
the end that every graded submission has all its autograded scores.
"""
from __future__ import annotations

import copy
import fcntl
import functools
import logging
import random
import shutil
import tempfile
import time
import warnings
from contextlib import ExitStack, contextmanager
from pathlib import Path

import nbformat
import nbgrader
import nbgrader.api
from nbgrader.api import Gradebook, InvalidEntry, MissingEntry
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SAWarning

from . import cells, coursedir, nbgrader_cli

# PostgreSQL's codes for a transaction that failed only because of a concurrent one (serialization failure,
# deadlock): run again, it succeeds.
_PG_CONFLICTS = {"40001", "40P01"}
# Key of the PostgreSQL advisory lock held while syncing ("nbgrader" in ASCII).
_SYNC_LOCK = 0x6E62677261646572


class _QuietRollbacks(logging.Filter):
    """nbgrader logs a traceback for every failed commit before it raises ``InvalidEntry``: a clash with another
    writer is retried (``_retrying``), and any other error is raised to the caller anyway."""
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Rolling back session due to database error")


logging.getLogger("tornado.application").addFilter(_QuietRollbacks())


@functools.cache
def alembic_head() -> str:
    """The revision nbgrader stamps on a gradebook it creates: the head of its own alembic scripts, read here with
    alembic's API. nbgrader's ``get_alembic_version`` asks a new ``alembic heads`` process for the same string,
    once per new gradebook (a Python start-up: 1 to 2 s quiet, 18 s measured on a busy 2-core machine); every grading
    run, bench and test course creates one."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


# Every gradebook this process opens (ours, and nbgrader's converters run in it: nbgrader_cli.generate_assignment)
# gets its revision without the subprocess; tests/test_nbgrader_inprocess.py checks it is nbgrader's own answer.
nbgrader.api.get_alembic_version = alembic_head


def connect(db_url: str) -> Gradebook:
    """nbgrader's ``Gradebook(db_url)``, usable as a context manager. nbgrader runs ``alembic`` from PATH when it
    opens a gradebook: the folder of this interpreter goes first on PATH, so no activated venv is needed. Opening
    a new database creates its tables: two processes doing so at once clash, and the loser tries again."""
    nbgrader_cli.put_interpreter_on_path()
    with _driver(db_url):
        return _retrying(lambda: Gradebook(db_url))


@contextmanager
def _driver(db_url: str):
    """Says which Python module a URL's database driver needs when it is not installed. SQLAlchemy 2.1 takes
    ``postgresql://`` for psycopg 3; the autograder installs psycopg2: ``postgresql+psycopg2://``."""
    try:
        yield
    except ModuleNotFoundError as missing:
        scheme = db_url.split("://")[0]
        raise RuntimeError(f"the gradebook URL {scheme}://... needs the Python module {missing.name}, which is "
                           "not installed; for PostgreSQL write postgresql+psycopg2://USER:PASSWORD@HOST/DATABASE "
                           "(psycopg2 comes with the autograder)") from missing


def default_url(root: Path) -> str:
    """The gradebook of the course at ``root`` when no URL is given (``coursedir.Course.at``)."""
    return coursedir.Course.at(root).db_url


def _up_to_date(db_url: str, root: Path, assignment: str) -> bool:
    """Whether the gradebook holds the assignment's current graded cells (grade ids, points, locked sources)."""
    nb = nbformat.read(coursedir.source_notebook(root, assignment), as_version=4)
    try:
        with connect(db_url) as gb:
            stored = gb.find_notebook(assignment, assignment)
            sources = {c.name: c.source for c in stored.source_cells if c.locked}
            points = {c.name: c.max_score for c in stored.grade_cells}
    except MissingEntry:
        return False
    want_points, want_sources = {}, {}
    for cell in nb.cells:
        if cells.is_graded(cell):
            want_points[cells.grade_id(cell)] = cells.points(cell)
        if cells.meta(cell).get("locked") and not cells.is_solution(cell):
            want_sources[cells.grade_id(cell)] = cell.source
    return points == want_points and all(sources.get(k) == v for k, v in want_sources.items())


@contextmanager
def _sync_lock(db_url: str):
    """Held while syncing. nbgrader's generate_assignment removes an assignment's notebook and adds it back, one
    commit per cell: two runs starting at once must not do it together (one would remove what the other is
    adding). On PostgreSQL a session advisory lock, on an SQLite file a lock on ``<file>.sync-lock`` beside it
    (both released by the system if the process dies); other databases: none."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        with ExitStack() as held:
            try:
                lock = held.enter_context(Path(f"{url.database}.sync-lock").open("a"))
                fcntl.flock(lock, fcntl.LOCK_EX)
            except OSError:   # a read-only folder, a file system without locks: sync unguarded
                pass
            yield
        return
    if url.get_backend_name() != "postgresql":
        yield
        return
    with _driver(db_url):
        engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SYNC_LOCK})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SYNC_LOCK})
                conn.commit()
    finally:
        engine.dispose()


def sync(root: Path, db_url: str, assignments: list[str], course_config=None) -> list[str]:
    """Make the gradebook know each assignment's current cells (nbgrader's generate_assignment, run on a
    temporary copy of the course so release/ is not touched, with ``course_config``, the course's parsed
    configuration, when given). Returns the assignments it had to update."""
    updated = []
    with _sync_lock(db_url):
        for assignment in assignments:
            if _up_to_date(db_url, root, assignment):
                continue
            with tempfile.TemporaryDirectory(prefix="sync-") as tmp:
                work = Path(tmp)
                shutil.copy2(root / "nbgrader_config.py", work / "nbgrader_config.py")
                with (work / "nbgrader_config.py").open("a") as file:   # not in argv: `ps` shows the password
                    file.write(f"\nget_config().CourseDirectory.db_url = {db_url!r}\n")
                shutil.copytree(root / "source" / assignment, work / "source" / assignment)
                config = None
                if course_config is not None:
                    config = copy.deepcopy(course_config)
                    config.CourseDirectory.db_url = db_url
                nbgrader_cli.generate_assignment(work, assignment, config)
            updated.append(assignment)
    return updated


def _conflict(error: Exception) -> str | None:
    """Why ``error`` is a clash with another writer that running the transaction again resolves, if it is one:
    "locked" (SQLite's database is locked), "concurrent" (PostgreSQL: serialization failure, deadlock), or
    "created" (a unique constraint: another writer created the same row meanwhile -- nbgrader's
    update_or_create_* looks a student or submission up, then inserts it, and raises ``InvalidEntry`` from the
    ``IntegrityError``; creating the tables of a new database fails so, or with "already exists")."""
    if isinstance(error, InvalidEntry):
        error = error.__context__
    if isinstance(error, IntegrityError) or isinstance(error, DBAPIError) and "already exists" in str(error):
        return "created"
    if isinstance(error, OperationalError) and any(w in str(error).lower() for w in ("locked", "busy")):
        return "locked"
    driver = getattr(error, "orig", None)   # the driver's exception: psycopg2's pgcode, psycopg 3's sqlstate
    if isinstance(error, DBAPIError) and (getattr(driver, "pgcode", None) or getattr(driver, "sqlstate", None)) \
            in _PG_CONFLICTS:
        return "concurrent"
    return None


def _retrying(action, attempts: int = 60, created_attempts: int = 5):
    """``action()``, run again after a clash with another writer (``_conflict``), with a growing random wait.
    ``action`` runs a whole transaction and rolls it back when it fails. A unique constraint that keeps failing
    is a real error: it is raised after ``created_attempts``."""
    created = 0
    for attempt in range(attempts):
        try:
            return action()
        except Exception as error:
            kind = _conflict(error)
            created += kind == "created"
            if kind is None or attempt == attempts - 1 or created >= created_attempts:
                raise
            time.sleep(min(0.05 * 2 ** attempt, 2.0) * random.uniform(0.5, 1.0))


def _assign_late_penalties(gb: Gradebook, late, outcome) -> tuple[float, float]:
    """Set each notebook's ``late_submission_penalty`` as nbgrader's ``AssignLatePenalties`` (``late``, built with the
    course's config: ``Course.late_penalties``) does after its autograde saved the scores
    (nbgrader/preprocessors/latesubmissions.py): reset to None, then, when the submission's timestamp is past the
    assignment's due date (an extension included: nbgrader's ``total_seconds_late``), the penalty the configured
    plugin gives for the notebook's score, kept between 0 and that score. The scores just written are flushed
    first, so the plugin sees them, in the same transaction. Returns (seconds late, penalty of all notebooks)."""
    gb.db.flush()
    submission = gb.find_submission(outcome.assignment, outcome.student)
    penalties = 0.0
    for notebook in outcome.notebooks:
        sn = gb.find_submission_notebook(notebook.name, outcome.assignment, outcome.student)
        gb.db.expire(sn, ["score"])   # a column computed by the database from the grades: read it again
        sn.late_submission_penalty = None
        if submission.total_seconds_late > 0:
            late.init_plugin()         # a fresh plugin per notebook, as nbgrader does
            penalty = late.plugin_inst.late_submission_penalty(outcome.student, sn.score,
                                                               submission.total_seconds_late)
            if penalty is not None:
                sn.late_submission_penalty = late._check_late_penalty(sn, penalty)
                penalties += sn.late_submission_penalty or 0.0
    return max(0.0, float(submission.total_seconds_late)), penalties


def record(db_url: str, outcome, late=None) -> tuple[float, float]:
    """Write one graded submission (an ``outcome.Outcome``) in one transaction: its scores, flags and, when
    ``late`` (nbgrader's ``AssignLatePenalties`` preprocessor, ``Course.late_penalties``) is given, its late
    penalty (``_assign_late_penalties``). Returns how late it was (seconds, 0 when on time) and its penalty."""
    def write():
        with warnings.catch_warnings(), connect(db_url) as gb:
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
                lateness = (0.0, 0.0) if late is None else _assign_late_penalties(gb, late, outcome)
                gb.db.commit()
                return lateness
            except Exception:
                gb.db.rollback()
                raise
    return _retrying(write)


def verify(db_url: str, outcomes) -> list[str]:
    """Problems with what the gradebook holds for ``outcomes``: missing submissions or autograded scores."""
    problems = []
    with connect(db_url) as gb:
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


def graded_by_hand(db_url: str, outcomes) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(student, assignment) of each of ``outcomes`` -> the (notebook, grade id) of its cells that have a manual
    score in the gradebook (given in the formgrader)."""
    out = {}
    with connect(db_url) as gb:
        for outcome in outcomes:
            done = out.setdefault((outcome.student, outcome.assignment), set())
            for notebook in outcome.notebooks:
                try:
                    sn = gb.find_submission_notebook(notebook.name, outcome.assignment, outcome.student)
                except MissingEntry:
                    continue
                done |= {(notebook.name, g.name) for g in sn.grades if g.manual_score is not None}
    return out


def autograded_cells(nb) -> dict[str, float]:
    """grade_id -> points of the autograded test cells of a notebook."""
    return {cells.grade_id(c): cells.points(c) for c in nb.cells if cells.is_graded(c) and not cells.is_solution(c)}
