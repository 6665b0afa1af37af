"""``python -m autograder export --format moodle|canvas``: the grades as the file each LMS's own grade import reads.

Both files hold every graded assignment of the gradebook, one row per student of ``export.rows`` (the same scores
as the plain CSV: late penalty subtracted, never below 0, ``c.CourseDirectory.student_id_exclude`` left out).

**Moodle**, "Import grades from CSV" (https://docs.moodle.org/311/en/Grade_import, Grade administration > Import >
CSV file): "Preview the grade import and choose the column mapping [...] By default "Map from" is set to First
Name, and "Map to" to userid. Change both dropdowns to: "Email Address" to "useremail", or to "Id Number" to
"useridnumber" (assuming that your users have ID number fields filled in in their profiles)", and each other column
is mapped to a grade item; "Unlike in most email programs, email addresses are case sensitive in grade import
files." So ``exports/moodle.csv`` has one identifier column (``c.Export.moodle_identifier``: ``email``,
``username`` or ``idnumber``, headed as Moodle's own export heads it: "Email address", "Username", "ID number"),
"First name" and "Last name" (to read; map them to "Ignore"), then a column per assignment headed with its grade
item's name (``c.Export.moodle_items``, default the assignment's name) so that Moodle's mapping finds it. The
importer's "Encoding" defaults to UTF-8 and its CSV reader (lib/csvlib.class.php, ``csv_import_reader::
load_csv_content``: "remove Unicode BOM from first line") needs no BOM, so the file is plain UTF-8, without one.

**Canvas**, "How do I import grades in the Gradebook?" (Instructor Guide,
https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807: the page
the import screen links; not in the stored corpus, so what follows is checked against a university's guide to the
same import, https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades):
"The CSV file you import [...] has four required components: Student Name (last name, first name) OR Student ID OR
Student SIS User ID [...] SIS Login ID [...] Section [...] Assignment Name", and "New assignment columns in the
Gradebook generate new assignments". So ``exports/canvas.csv`` has the identity columns of Canvas's own Gradebook
export, Student ("Last, First": a comma inside a field, the csv module quotes it), ID, SIS User ID, SIS Login ID,
Section; then one column per assignment headed "Name (id)", the id being the Canvas assignment's, by which the
import matches an existing assignment instead of creating one; and the second row "Points Possible" (as Canvas's
export writes it, "    Points Possible" in the Student column, each assignment's points). Canvas's CSV imports read
"All text should be UTF-8 encoded" (https://developerdocs.instructure.com/services/canvas/sis/file.sis_csv, the
same rule for its SIS CSV); ``canvas.csv`` starts with a BOM, as Canvas's own Gradebook export does, so that a
teacher who opens it in Excel before the upload sees accents right (Excel reads a CSV without a BOM in the local
code page).

What nbgrader's roster lacks (Moodle's username or ID number, Canvas's numeric ID, SIS ids, section) comes from
``lms_roster.csv`` beside ``nbgrader_config.py`` (``c.Export.lms_roster``): a column ``student_id`` (nbgrader's id)
and any of ``email``, ``username``, ``idnumber``, ``canvas_id``, ``sis_user_id``, ``sis_login_id``, ``section``
(a value there wins over the gradebook's email). Moodle's ``username`` falls back to nbgrader's student id (the
login students hand in under). A student who cannot be identified (no email when Moodle identifies by email, no
Canvas ID, SIS User ID nor SIS Login ID) is refused with their names: nothing is written, since an LMS import
drops or misfiles a row with an empty key, and a grade silently missing is worse than an error.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from traitlets import Dict, Enum, Unicode
from traitlets.config import Configurable

from .export import Row, _number

LMS_COLUMNS = ["student_id", "email", "username", "idnumber", "canvas_id", "sis_user_id", "sis_login_id", "section"]
MOODLE_HEADERS = {"email": "Email address", "username": "Username", "idnumber": "ID number"}
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "    Points Possible"


class Export(Configurable):
    """How ``export --format moodle|canvas`` names students and assignments for the LMS."""
    moodle_identifier = Enum(["email", "username", "idnumber"], "email",
                             help="The user field Moodle's import maps the first column to: email (the gradebook's, "
                                  "or lms_roster.csv's), username (lms_roster.csv's, else nbgrader's student id) or "
                                  "idnumber (lms_roster.csv's).").tag(config=True)
    moodle_items = Dict(Unicode(), help="Assignment -> name of its Moodle grade item (default: the assignment's "
                        "name), e.g. {'03_relu': 'TP3 ReLU'}.").tag(config=True)
    canvas_assignments = Dict(help="Assignment -> its Canvas assignment id (the number in the assignment's URL, "
                              ".../assignments/1234), e.g. {'03_relu': 1234}; every exported assignment needs "
                              "one.").tag(config=True)
    canvas_names = Dict(Unicode(), help="Assignment -> its name in Canvas, written before the id in the header "
                        "(default: the assignment's name; Canvas matches on the id).").tag(config=True)
    lms_roster = Unicode("lms_roster.csv", help="CSV file (relative to the course root) with student_id and the LMS's "
                         "ids nbgrader's roster lacks: " + ", ".join(LMS_COLUMNS[1:]) + ".").tag(config=True)


def read_lms_roster(path: Path, explicit: bool) -> dict[str, dict[str, str]]:
    """student id -> {column: value} of ``path`` (empty when there is no such file and it was not asked for)."""
    if not path.is_file():
        if explicit:
            raise FileNotFoundError(f"{path}: no such file (c.Export.lms_roster)")
        return {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        table = list(csv.DictReader(f))
    columns = list(table[0]) if table else []
    if "student_id" not in columns:
        raise ValueError(f"{path}: no column 'student_id'; columns: {', '.join(columns) or 'none'}")
    unknown = [c for c in columns if c not in LMS_COLUMNS]
    if unknown:
        raise ValueError(f"{path}: unknown column(s) {', '.join(unknown)}; known: {', '.join(LMS_COLUMNS)}")
    out: dict[str, dict[str, str]] = {}
    for line, row in enumerate(table, start=2):
        sid = (row["student_id"] or "").strip()
        if not sid or sid in out:
            raise ValueError(f"{path}, line {line}: " + ("no student_id" if not sid else f"{sid} given twice"))
        out[sid] = {k: (v or "").strip() for k, v in row.items() if k != "student_id" and (v or "").strip()}
    return out


def _refuse(unidentified: list[str], why: str, fix: str) -> None:
    if unidentified:
        raise ValueError(f"{len(unidentified)} student(s) {why}: {', '.join(unidentified)}; nothing written. {fix}")


def moodle(tables: dict[str, list[Row]], extra: dict[str, dict[str, str]], config: Export) -> str:
    """The text of moodle.csv."""
    key = config.moodle_identifier
    students = tables[next(iter(tables))] if tables else []
    ids = {}
    for r in students:
        info = extra.get(r.student, {})
        ids[r.student] = {"email": info.get("email") or r.email, "username": info.get("username") or r.student,
                          "idnumber": info.get("idnumber", "")}[key]
    _refuse([s for s, v in ids.items() if not v], f"have no {key}, which c.Export.moodle_identifier = {key!r} needs",
            f"Add a column {key} for them to {config.lms_roster} (student_id,{key}), or choose another identifier.")
    doubles = sorted({v for v in ids.values() if list(ids.values()).count(v) > 1})
    _refuse(doubles, f"share the same {key} (Moodle would give both rows to one user)", "Correct them.")
    unknown = sorted(set(config.moodle_items) - set(tables))
    if unknown:
        raise ValueError(f"c.Export.moodle_items names assignment(s) not graded: {', '.join(unknown)}")
    score = {(a, r.student): r.score for a, rs in tables.items() for r in rs}
    f = io.StringIO()
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow([MOODLE_HEADERS[key], "First name", "Last name"] + [config.moodle_items.get(a, a) for a in tables])
    for r in students:
        w.writerow([ids[r.student], r.first_name, r.last_name] + [_number(score[a, r.student]) for a in tables])
    return f.getvalue()


def canvas(tables: dict[str, list[Row]], extra: dict[str, dict[str, str]], config: Export) -> str:
    """The text of canvas.csv (without the BOM)."""
    missing = [a for a in tables if str(config.canvas_assignments.get(a, "")).strip() == ""]
    if missing:
        raise ValueError(f"no Canvas assignment id for {', '.join(missing)}: set c.Export.canvas_assignments = "
                         "{" + ", ".join(f"'{a}': <id>" for a in missing) + "} in nbgrader_config.py (the number "
                         "at the end of the assignment's address in Canvas, .../assignments/<id>); nothing written")
    bad = [f"{a}: {v!r}" for a, v in config.canvas_assignments.items() if a in tables and not str(v).strip().isdigit()]
    if bad:
        raise ValueError(f"c.Export.canvas_assignments: a Canvas assignment id is a number, not {', '.join(bad)}")
    students = tables[next(iter(tables))] if tables else []
    _refuse([r.student for r in students if not any(extra.get(r.student, {}).get(k) for k in
                                                     ("canvas_id", "sis_user_id", "sis_login_id"))],
            "have no Canvas ID, SIS User ID nor SIS Login ID, by which Canvas finds a student",
            f"Add them to {config.lms_roster} (student_id,canvas_id,sis_user_id,sis_login_id,section: copy the "
            "columns of Canvas's Gradebook export).")
    for column in ("canvas_id", "sis_user_id", "sis_login_id"):
        values = [extra.get(r.student, {}).get(column) for r in students]
        _refuse(sorted({v for v in values if v and values.count(v) > 1}),
                f"{column} given to more than one student (Canvas would give both rows to one student)",
                f"Correct {config.lms_roster}.")
    score = {(a, r.student): r.score for a, rs in tables.items() for r in rs}
    f = io.StringIO()
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(CANVAS_IDENTITY + [f"{config.canvas_names.get(a, a)} ({str(config.canvas_assignments[a]).strip()})"
                                  for a in tables])
    w.writerow([POINTS_POSSIBLE, "", "", "", ""] + [_number(rs[0].max_score) if rs else "" for rs in tables.values()])
    for r in students:
        info = extra.get(r.student, {})
        name = ", ".join(p for p in (r.last_name, r.first_name) if p) or r.student
        w.writerow([name, info.get("canvas_id", ""), info.get("sis_user_id", ""), info.get("sis_login_id", ""),
                    info.get("section", "")] + [_number(score[a, r.student]) for a in tables])
    return f.getvalue()


FORMATS = {"moodle": (moodle, "utf-8"), "canvas": (canvas, "utf-8-sig")}
