"""Step 1 of grading a submission, in the main thread: the ``Task`` a runner runs.

For each notebook of the assignment, a ``PreparedNotebook``: the student's file found and read
(``submission.locate/load``), deleted graded cells put back and nbgrader's sanitizing preprocessors run
(``submission.prepare``), hooks and monkeypatches flagged (``scan``), decoy tests planted (``decoys.plant``). And the
files of the sandbox's working folder: the submission's (no Python modules), then the assignment's over them.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path


from . import decoys, i18n, scan, settings, submission, translate
from .i18n import _
from .coursedir import Course
from .outcome import Outcome
from .submission import Submission, Unreadable

# Files of a submission that are not copied into its sandbox: they would be imported before the course's own.
PYTHON_FILES = (".py", ".pyc", ".pyd", ".so", ".pth")


@dataclass
class PreparedNotebook:
    """One notebook of a submission, ready to run; ``nb`` is None when it could not be read or prepared."""
    name: str
    nb: object | None = None                                   # decoys planted, every cell id replaced
    decoys: list[int] = field(default_factory=list)            # indices of the decoys in ``nb``
    original_ids: list[str | None] = field(default_factory=list)   # the cell ids before, put back after
    release: Path | None = None                                # its edition's release: shown when ``nb`` is None
    language: str = "en"                                       # the edition handed in (metadata.course.language)


@dataclass
class Task:
    """What a runner needs: the notebooks to run, and the files of their working folder."""
    submission: Submission
    outcome: Outcome
    notebooks: list[PreparedNotebook]
    files: list[tuple[Path, str]] = field(default_factory=list)   # copied into the sandbox: (path, name)

    @property
    def language(self) -> str:
        """The language the student is told things in: that of their first notebook not in English."""
        return next((p.language for p in self.notebooks if p.language != translate.ENGLISH), translate.ENGLISH)

    def to_run(self) -> list[tuple[str, object | None]]:
        """``(name, notebook)`` of each notebook, None for one that is not to run."""
        return [(prepared.name, prepared.nb) for prepared in self.notebooks]


def _files(course: Course, sub: Submission, outcome: Outcome, limit_bytes: int) -> list[tuple[Path, str]]:
    """What goes into the sandbox's working folder: the submission's files (not what ``c.CourseDirectory.ignore``
    matches, as nbgrader's autograde copies them; no links; no Python modules, which would be imported before the
    course's own, unless ``c.Autograde.exclude_overwriting`` names them; up to ``limit_bytes`` in all), then the
    assignment's non-notebook files over them (``Course.source_files``), as nbgrader does."""
    allowed = set(course.autograde.exclude_overwriting.get(sub.assignment, []))
    mine = [(path, rel) for path, rel in course.files(sub.folder) if path.is_file() and not path.is_symlink()]
    skipped = [rel for path, rel in mine if path.suffix in PYTHON_FILES and rel not in allowed]
    if skipped:
        outcome.notes.append(_("not copied into the grading folder (Python modules would replace the course's "
                               "own): {files}").format(files=", ".join(skipped[:5])))
        outcome.flags.append("submitted Python files: " + ", ".join(skipped[:5]))
    kept, used, too_big, left_out = [], 0, [], set(skipped)
    for path, rel in mine:
        if rel in left_out:
            continue
        used += path.stat().st_size
        (too_big if used > limit_bytes else kept).append((path, rel))
    if too_big:
        outcome.notes.append(_("not copied into the grading folder (over {mb} MB in all): {files}").format(
            mb=limit_bytes >> 20, files=", ".join(rel for _path, rel in too_big[:5])))
    return kept + course.source_files(sub.assignment)


def prepare_notebook(course: Course, sub: Submission, name: str, outcome: Outcome,
                     grading: settings.Grading, notebooks: list[str] | None = None) -> PreparedNotebook:
    """The notebook ``name`` of ``sub`` (``notebooks``: all of its assignment's), ready to run; what was found on
    the way goes into ``outcome``."""
    language = translate.ENGLISH
    try:
        located, note = submission.locate(sub, name, notebooks or ())
        if note:
            outcome.notes.append(note)
        nb = submission.load(located)
        language = translate.notebook_language(nb, located.stem)
        prepared = submission.prepare(nb, course, sub.assignment, name, sub.student, language)
    except Exception as problem:   # unreadable, or nbgrader refused it (broken metadata...)
        why = str(problem) if isinstance(problem, Unreadable) else _(
            "{file} could not be prepared for grading: {error}").format(
            file=f"{name}.ipynb", error=str(problem).splitlines()[0][:200])
        outcome.reason = f"{outcome.reason}; {why}" if outcome.reason else why   # one per notebook
        return PreparedNotebook(name, release=course.release / sub.assignment / translate.edition_file(name, language),
                                language=language)
    outcome.notes += prepared.notes
    outcome.flags += prepared.tampered
    outcome.flags += [str(f) for f in scan.scan(prepared.submitted)]
    rng = random.Random(f"{outcome.hash}:{name}")
    planted, where = decoys.plant(prepared.nb, rng, grading.decoys)
    return PreparedNotebook(name, planted, where, [c.get("id") for c in prepared.nb.cells],
                            release=course.release / sub.assignment / translate.edition_file(name, language),
                            language=language)


def prepare_task(course: Course, sub: Submission, grading: settings.Grading, digest: str) -> Task:
    """Every notebook of ``sub``'s assignment prepared, with a fresh ``Outcome`` (content hash ``digest``)."""
    outcome = Outcome(sub.student, sub.assignment, hash=digest)
    names = [path.stem for path in sorted((course.source / sub.assignment).glob("*.ipynb"))]
    with i18n.speaking(submission_language(sub, names)):     # what the student is told, in their edition's language
        return _prepare_task(course, sub, grading, outcome, names)


def submission_language(sub: Submission, names: list[str]) -> str:
    """The language the student is told things in: that of the first notebook of theirs that is not English."""
    for name in names:
        try:
            located, _note = submission.locate(sub, name, names)
        except Unreadable:
            continue
        language = submission.language_of(located)
        if language != translate.ENGLISH:
            return language
    return translate.ENGLISH


def _prepare_task(course: Course, sub: Submission, grading: settings.Grading, outcome: Outcome,
                  names: list[str]) -> Task:
    stamp, note = submission.timestamp(course, sub)
    outcome.timestamp = stamp.isoformat() if stamp else None
    outcome.notes += [note] if note else []
    outcome.late = "timestamp.txt is not a date (graded as on time)" if note else ""
    notebooks = [prepare_notebook(course, sub, name, outcome, grading, names) for name in names]
    return Task(sub, outcome, notebooks, _files(course, sub, outcome, grading.max_submission_mb << 20))
