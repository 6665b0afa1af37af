"""``python -m autograder export``: the grades as CSV files, ready for an LMS upload.

One file per assignment (``exports/<assignment>.csv``: one row per student of the roster, with score, maximum,
whether they submitted, late penalty, written answers still to grade, flag) and one for the term
(``exports/term.csv``: one row per student, one column per assignment, total). Everything comes from nbgrader's
gradebook: the roster is its students (``nbgrader db student import roster.csv``, plus everyone who handed
something in); a student who submitted nothing gets 0. A score is nbgrader's: the autograded and hand-graded
points minus the late penalty (assigned when the submission was graded: ``gradebook.record``), never below 0.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import MissingEntry

from . import gradebook
from .coursedir import Course, refuse_ungraded

ASSIGNMENT_COLUMNS = ["student_id", "last_name", "first_name", "email", "score", "max_score", "submitted",
                      "late_penalty", "to_grade_by_hand", "flagged"]
STUDENT_COLUMNS = ["student_id", "last_name", "first_name", "email"]


@dataclass(frozen=True)
class Row:
    student: str
    last_name: str
    first_name: str
    email: str
    score: float
    max_score: float
    submitted: bool
    late_penalty: float
    to_grade_by_hand: int     # grades still waiting for the teacher (they count 0 meanwhile)
    flagged: bool


def _number(value: float) -> str:
    return f"{value:g}"


def rows(db_url: str, assignment: str, excluded: frozenset[str] = frozenset()) -> list[Row]:
    """One row per student of the gradebook but the ``excluded``, in order of student id."""
    out = []
    with gradebook.connect(db_url) as gb:
        max_score = gb.find_assignment(assignment).max_score
        for student in sorted(gb.students, key=lambda s: s.id):
            if student.id in excluded:
                continue
            names = (student.id, student.last_name or "", student.first_name or "", student.email or "")
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                out.append(Row(*names, 0.0, max_score, False, 0.0, 0, False))
                continue
            penalty = sub.late_submission_penalty or 0.0
            waiting = sum(1 for nb in sub.notebooks for g in nb.grades
                          if g.needs_manual_grade and g.manual_score is None)
            flagged = any(nb.flagged for nb in sub.notebooks)
            # as nbgrader's own export (nbgrader/plugins/export.py, CsvExportPlugin): never below 0
            out.append(Row(*names, max(0.0, sub.score - penalty), max_score, True, penalty, waiting, flagged))
    return out


# The columns of nbgrader's ``db student import`` (the gradebook's Student table): ``id`` is required, the others
# optional; ``student_id`` is taken for ``id``, as the exports head it.
ROSTER_REQUIRED, ROSTER_OPTIONAL = "id", ("first_name", "last_name", "email", "lms_user_id")


def import_roster(db_url: str, path: Path, log=print) -> int:
    """Add (or update) the students of a CSV file with the columns ``id`` (or ``student_id``) and, optionally,
    ``first_name``, ``last_name``, ``email``, ``lms_user_id``, as ``nbgrader db student import`` does; a file with
    other columns is refused (a column nbgrader does not know would be dropped: students without names). Says how
    many students were added, updated or already there. Returns how many the file lists."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: " + ("a folder, not a CSV file" if path.is_dir() else "no such file")
                                + f" (looked for {path.resolve()})")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        table = list(reader)
        found = [c.strip() for c in reader.fieldnames or []]
    known = {ROSTER_REQUIRED, "student_id", *ROSTER_OPTIONAL}
    key = next((k for k in (ROSTER_REQUIRED, "student_id") if k in found), None)
    unknown = [c for c in found if c not in known]
    if key is None or unknown or not table:
        why = ("no student in it" if key and not unknown else
               f"no column {ROSTER_REQUIRED!r}" if key is None else f"unknown column(s) {', '.join(unknown)}")
        semicolons = " (the file separates its columns with ';': save it as CSV with commas)" if any(
            ";" in c for c in found) else ""
        raise ValueError(f"{path}: {why}; a roster has the columns {ROSTER_REQUIRED} (required), "
                         f"{', '.join(ROSTER_OPTIONAL)} (optional), as `nbgrader db student import` reads them; "
                         f"found: {', '.join(found) or 'none'}{semicolons}")
    table = [{k.strip(): v for k, v in row.items() if k is not None} for row in table]
    ids = [(row[key] or "").strip() for row in table]
    missing = [n for n, i in enumerate(ids, start=2) if not i]
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    if missing or doubles:
        raise ValueError(f"{path}: " + "; ".join(([f"no id on line(s) {missing}"] if missing else [])
                                                 + ([f"ids given twice: {', '.join(doubles)}"] if doubles else [])))
    added, updated, same = [], [], []
    with gradebook.connect(db_url) as gb:
        before = {s.id: {k: getattr(s, k) for k in ROSTER_OPTIONAL} for s in gb.students}
        for row, student in zip(table, ids):
            fields = {k: (row[k] or "").strip() or None for k in ROSTER_OPTIONAL if k in row}
            gb.update_or_create_student(student, **fields)
            if student not in before:
                added.append(student)
            else:
                (updated if any(before[student][k] != v for k, v in fields.items()) else same).append(student)
    unlisted = sorted(set(before) - set(ids))
    log(f"roster: {len(ids)} student(s) from {path}: "
        + ", ".join([f"{len(added)} added" + (f" ({_some(added)})" if added else ""),
                     f"{len(updated)} updated" + (f" ({_some(updated)})" if updated else ""),
                     f"{len(same)} already there unchanged"])
        + (f"; the gradebook also has {len(unlisted)} student(s) this file does not list, kept: {_some(unlisted)}"
           if unlisted else ""))
    return len(ids)


def _some(names: list[str], shown: int = 10) -> str:
    """'a, b, c', or 'a, ..., j and 5 more'."""
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def graded_assignments(course: Course) -> list[str]:
    """The course's assignments the gradebook knows, in course order."""
    with gradebook.connect(course.db_url) as gb:
        known = {a.name for a in gb.assignments}
    return [a for a in course.assignments if a in known]


def log_excluded(course: Course, log) -> None:
    """Say which students of the gradebook are left out, as c.CourseDirectory.student_id_exclude asks."""
    with gradebook.connect(course.db_url) as gb:
        left_out = sorted({s.id for s in gb.students} & course.excluded_students)
    if left_out:
        log(f"left out, as c.CourseDirectory.student_id_exclude asks: {', '.join(left_out)}")
    for problem in course.exclusion_problems():
        log(f"warning: {problem}")


def export(course: Course | Path, assignments: list[str] | None = None, db_url: str | None = None,
           out: Path | None = None, log=print, lms_format: str = "csv") -> list[Path]:
    """Write ``<assignment>.csv`` for each assignment (default: every one in the gradebook) and ``term.csv``
    (always over every assignment of the gradebook) into ``out`` (default: ``<root>/exports``). ``course``: a
    ``Course`` or its root; ``db_url`` replaces its gradebook. ``lms_format`` ``moodle`` or ``canvas``: instead, the one
    file that LMS's grade import reads (``moodle.csv``, ``canvas.csv``: autograder/lms.py)."""
    course = Course.of(course, db_url)
    root = course.root
    course.check_assignments(assignments)
    term = graded_assignments(course)
    refuse_ungraded(assignments, term)
    if lms_format != "csv":
        return [_lms_file(course, lms_format, assignments or term, Path(out or root / "exports"), log)]
    out = Path(out or root / "exports")
    out.mkdir(parents=True, exist_ok=True)
    tables = {a: rows(course.db_url, a, course.excluded_students) for a in term}
    log_excluded(course, log)
    written = []
    for assignment in assignments or term:
        path = out / f"{assignment}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(ASSIGNMENT_COLUMNS)
            for r in tables[assignment]:
                writer.writerow([r.student, r.last_name, r.first_name, r.email, _number(r.score),
                                 _number(r.max_score), "yes" if r.submitted else "no", _number(r.late_penalty),
                                 r.to_grade_by_hand, "yes" if r.flagged else "no"])
        written.append(path)
        waiting = _waiting(tables[assignment])
        log(f"{path.relative_to(root) if path.is_relative_to(root) else path}: "
            f"{sum(r.submitted for r in tables[assignment])} submitted of {len(tables[assignment])} students"
            + (f"; {waiting}" if waiting else ""))
    path = out / "term.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(STUDENT_COLUMNS + term + ["total", "max_total"])
        students = tables[term[0]] if term else []
        score = {(a, r.student): r.score for a in term for r in tables[a]}
        max_total = sum(tables[a][0].max_score for a in term if tables[a])
        for r in students:
            scores = [score[a, r.student] for a in term]
            writer.writerow([r.student, r.last_name, r.first_name, r.email, *map(_number, scores),
                             _number(sum(scores)), _number(max_total)])
    written.append(path)
    log(f"{path.relative_to(root) if path.is_relative_to(root) else path}: {_count(len(students), 'student')}, "
        f"{_count(len(term), 'assignment')}")
    return written


def _lms_file(course: Course, lms_format: str, assignments: list[str], out: Path, log) -> Path:
    """Write ``<format>.csv`` for ``assignments`` into ``out``; every check runs before a byte is written, and the
    file is replaced whole (written beside it, then renamed), so an error leaves the previous file as it was."""
    from . import lms

    if lms_format not in lms.FORMATS:
        raise ValueError(f"unknown export format {lms_format!r}: csv, {', '.join(lms.FORMATS)}")
    config = lms.Export(config=course.config)
    roster_path = course.root / config.lms_roster
    extra = lms.read_lms_roster(roster_path, explicit="lms_roster" in course.config.get("Export", {}))
    tables = {a: rows(course.db_url, a, course.excluded_students) for a in assignments}
    strangers = sorted(set(extra) - {r.student for rs in tables.values() for r in rs} - course.excluded_students)
    build, encoding = lms.FORMATS[lms_format]
    text = build(tables, extra, config)
    log_excluded(course, log)
    if strangers:
        log(f"warning: {roster_path.name} names student(s) the gradebook does not know: {', '.join(strangers)} "
            "(not exported; add them with `python -m autograder roster` if they belong to the class)")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{lms_format}.csv"
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding=encoding, newline="")
    partial.replace(path)
    students = len(tables[assignments[0]]) if assignments else 0
    where = path.relative_to(course.root) if path.is_relative_to(course.root) else path
    log(f"{where}: {_count(students, 'student')}, {_count(len(assignments), 'assignment')}, for "
        + ("Moodle: Grade administration > Import > CSV file; map the first column to "
           f"{lms.MOODLE_HEADERS[config.moodle_identifier]!r} and each assignment to its grade item"
           if lms_format == "moodle" else "Canvas: Grades > Import; check the preview before you confirm"))
    for assignment in assignments:      # what is uploaded counts them 0: as the plain export says
        if _waiting(tables[assignment]):
            log(f"{where}: {assignment}: {_waiting(tables[assignment])}")
    return path


def _waiting(table: list[Row]) -> str:
    """'2 with written answers still to grade by hand (counted 0): alice, bob', or '' when there is none."""
    waiting = [r.student for r in table if r.to_grade_by_hand]
    return (f"{len(waiting)} with written answers still to grade by hand (counted 0): {', '.join(waiting)}"
            if waiting else "")


def _count(n: int, noun: str) -> str:
    """'1 assignment', '3 assignments'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
