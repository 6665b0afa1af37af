"""Grading as nbgrader's own settings say (issue 17): late penalties (``c.LateSubmissionPlugin.penalty_method``,
``c.AssignLatePenalties.plugin_class``), ``c.CourseDirectory.student_id_exclude``, ``c.CourseDirectory.ignore`` for
submissions, the modes of ``autograded/`` (``c.Autograde.permissions``, ``c.CourseDirectory.groupshared``) with the
source files nbgrader copies there, and ``c.Autograde.exclude_overwriting``.

The reference is nbgrader itself: one class of the fixture course is graded twice, by ``grade`` and by plain
``nbgrader autograde`` (with ``nbgrader db assignment add --duedate`` and ``nbgrader export``), and the gradebooks,
exports and autograded folders are compared; the penalty of each policy on a copy of the real course's 03_relu is
compared with what nbgrader's own ``AssignLatePenalties`` preprocessor writes on a copy of the same gradebook; the
modes of a group-shared course with what nbgrader's ``BaseConverter.set_permissions`` gives the same folder.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import stat
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import AssignLatePenalties
from nbgrader.utils import parse_utc
from traitlets.config.loader import PyFileConfigLoader

from autograder import autograded, export, feedback, grade, gradebook, nbgrader_cli, report, submission, task
from autograder.coursedir import Course
from autograder.outcome import RESULT_FILE, NotebookOutcome, Outcome
from support import classroom, courses
from support.courses import CONFIG, FIXTURE, REPO

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader_settings")]

DUE = "2026-11-01 08:00:00 UTC"
ON_TIME = "2026-11-01 07:59:00.000000 UTC"
LATE = "2026-11-02 10:00:00.000000 UTC"          # 1 day 2 hours after DUE
LATE_SECONDS = 26 * 3600.0
EXCLUDED = "mallory"
SETTINGS = f"""
c.LateSubmissionPlugin.penalty_method = "zero"
c.CourseDirectory.student_id_exclude = "{EXCLUDED}"
c.Autograde.exclude_overwriting = {{"{FIXTURE}": ["data.csv"]}}
"""
# Appended to every submission: what the grading folder's data.csv holds, in the graded notebook's outputs.
READ_DATA = 'print(open("data.csv").read().strip())'


def _hand_in(root: Path, student: str, stamp: str, files: dict[str, str] | None = None) -> None:
    folder = root / "submitted" / student / FIXTURE
    folder.mkdir(parents=True)
    nb = courses.filled(root, FIXTURE, classroom.SOLVED)
    nb.cells.append(nbformat.v4.new_code_cell(READ_DATA))
    nbformat.write(nb, folder / f"{FIXTURE}.ipynb")
    (folder / "timestamp.txt").write_text(stamp)
    for rel, text in (files or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)


def _tree(folder: Path) -> dict[str, str]:
    """rel path -> mode (octal) of every file and folder under ``folder``."""
    return {str(p.relative_to(folder)): oct(stat.S_IMODE(p.stat().st_mode)) for p in sorted(folder.rglob("*"))}


def _penalties(db_url: str) -> dict[str, float]:
    """student -> late penalty of their fixture submission, as the gradebook holds it."""
    with Gradebook(db_url) as gb:
        return {s.student.id: s.late_submission_penalty for s in gb.find_assignment(FIXTURE).submissions}


def _csv(path: Path, key: str = "student_id") -> dict[str, dict]:
    with open(path, newline="") as f:
        return {row[key]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="session")
def graded(new_course):
    """One class graded by ``grade`` (in ``ours``) and by plain nbgrader (in ``theirs``), from the same course and
    submissions: the fixture assignment with a data file and a folder beside its notebook, a due date, and three
    students: ``ontime`` (an LMS upload with ``__pycache__``, checkpoints, a Python module and its own data.csv),
    ``late`` (a day and two hours late) and ``mallory`` (excluded)."""
    ours = new_course("settings-ours")
    (ours / "nbgrader_config.py").write_text(CONFIG.read_text() + SETTINGS)
    (ours / "source" / FIXTURE / "data.csv").write_text("the teacher's copy")
    (ours / "source" / FIXTURE / "tables").mkdir()
    (ours / "source" / FIXTURE / "tables" / "scale.txt").write_text("2")
    _hand_in(ours, "ontime", ON_TIME, {"data.csv": "the student's copy", "helper.py": "X = 1\n",
                                       "__pycache__/helper.cpython-311.pyc": "compiled",
                                       f".ipynb_checkpoints/{FIXTURE}-checkpoint.ipynb": "{}", "notes.txt": "mine"})
    _hand_in(ours, "late", LATE, {"data.csv": "the late student's copy"})
    _hand_in(ours, EXCLUDED, ON_TIME)
    theirs = ours.parent.parent / "settings-theirs"
    shutil.copytree(ours, theirs)

    for root in (ours, theirs):   # the teacher's way to give a due date: the assignment in the gradebook
        gradebook.sync(root, gradebook.default_url(root), [FIXTURE])
        nbgrader_cli.call(["db", "assignment", "add", FIXTURE, f"--duedate={DUE}"], root)
    log, table = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(log), contextlib.redirect_stdout(table):
        run = grade.grade(ours, workers=2)
    assert run.ok, [o.error for o in run.outcomes]
    export.export(ours, log=lambda *a: None)
    report.report(ours, log=lambda *a: None)
    nbgrader_cli.call(["autograde", FIXTURE], theirs)
    nbgrader_cli.call(["export", "--to", str(theirs / "grades.csv")], theirs)
    return {"ours": ours, "theirs": theirs, "run": run, "log": log.getvalue(), "table": table.getvalue()}


# -- late penalties ---------------------------------------------------------------------------------------------
def test_a_late_submission_gets_the_penalty_nbgrader_gives(graded):
    """penalty_method "zero": the late submission's penalty is its score, in the gradebook as nbgrader's
    AssignLatePenalties writes it; the one on time has none."""
    ours, theirs = graded["ours"], graded["theirs"]
    assert _penalties(gradebook.default_url(ours)) == _penalties(gradebook.default_url(theirs)) \
        == {"ontime": 0.0, "late": 3.0}
    with Gradebook(gradebook.default_url(ours)) as gb:
        late = gb.find_submission(FIXTURE, "late")
        assert late.total_seconds_late == LATE_SECONDS and late.score == 3.0


def test_the_exports_subtract_the_penalty_as_nbgrader_export_does(graded):
    ours, theirs = graded["ours"], graded["theirs"]
    mine, nbgraders = _csv(ours / "exports" / f"{FIXTURE}.csv"), _csv(theirs / "grades.csv")
    assert {s: float(r["score"]) for s, r in mine.items()} == {s: float(r["score"]) for s, r in nbgraders.items()} \
        == {"ontime": 3.0, "late": 0.0}
    assert {s: float(r["late_penalty"]) for s, r in mine.items()} == {"ontime": 0.0, "late": 3.0}
    term = _csv(ours / "exports" / "term.csv")
    assert {s: float(r[FIXTURE]) for s, r in term.items()} == {"ontime": 3.0, "late": 0.0}


def test_the_report_says_how_late_each_late_submission_was(graded):
    ours = graded["ours"]
    page = (ours / "reports" / f"{FIXTURE}.html").read_text()
    late = page[page.index("<h2>Late submissions</h2>"):page.index("<h2>Notes left for students</h2>")]
    assert "<td>late</td>" in late and "1 d 2 h" in late and "2026-11-01 08:00:00 UTC" in late
    assert "ontime" not in late
    with open(ours / "reports" / f"{FIXTURE}.csv", newline="") as f:
        rows = {(r["section"], r["key"]): r["value"] for r in csv.DictReader(f)}
    assert rows[("late_seconds", "late")] == "93600" and rows[("late_penalty", "late")] == "3"
    assert ("late_seconds", "ontime") not in rows and rows[("summary", "late")] == "1"
    assert rows[("summary", "max")] == "3" and rows[("summary", "min")] == "0"   # totals after the penalty


def test_the_late_students_feedback_shows_the_penalty(graded):
    """Feedback (nbgrader's generate_feedback, its GetGrades) reads the penalty back: the late student's page shows
    it and a score of 0, the on-time student's shows none."""
    ours = graded["ours"]
    assert feedback.generate(ours, [FIXTURE], log=lambda *a: None).ok
    late = (ours / "feedback" / "late" / FIXTURE / f"{FIXTURE}.html").read_text()
    ontime = (ours / "feedback" / "ontime" / FIXTURE / f"{FIXTURE}.html").read_text()
    assert "Late submission penalty (Score: -3.0)" in late and "Late submission penalty" not in ontime
    assert f"{FIXTURE} (Score: 0 / 4" in late and f"{FIXTURE} (Score: 3 / 4" in ontime


def test_the_summary_table_says_who_was_late_and_by_how_much(graded):
    rows = {line.split()[0]: line for line in graded["table"].splitlines()
            if line.split()[:1] in (["late"], ["ontime"])}
    assert rows["late"].endswith("late by 1 d 2 h, penalty 3 points"), graded["table"]
    assert "late by" not in rows["ontime"]


def test_late_days_are_written_to_the_minute():
    assert [report.late_by(s) for s in (30, 40 * 60, LATE_SECONDS, 2 * 86400 + 65)] == \
        ["under a minute", "40 min", "1 d 2 h", "2 d 1 min"]


# -- student_id_exclude, ignore, permissions, exclude_overwriting ----------------------------------------------
def test_excluded_students_are_skipped_and_the_log_says_so(graded):
    ours, theirs = graded["ours"], graded["theirs"]
    for root in (ours, theirs):
        with Gradebook(gradebook.default_url(root)) as gb:
            assert sorted(s.student.id for s in gb.find_assignment(FIXTURE).submissions) == ["late", "ontime"]
        assert not (root / "autograded" / EXCLUDED).exists()
    assert sorted(o.student for o in graded["run"].outcomes) == ["late", "ontime"]
    assert f"students excluded by c.CourseDirectory.student_id_exclude: {EXCLUDED}" in graded["log"]


def test_what_nbgrader_ignores_is_neither_copied_nor_flagged(graded):
    """__pycache__ and checkpoints of an LMS upload are ignored (c.CourseDirectory.ignore); the Python module that
    is left is still kept out of the sandbox and flagged."""
    ontime = next(o for o in graded["run"].outcomes if o.student == "ontime")
    assert ontime.flags == ["submitted Python files: helper.py"]
    assert not any("__pycache__" in note or "checkpoint" in note for note in ontime.notes)


def test_the_autograded_folder_holds_what_nbgrader_writes_with_its_modes(graded):
    """The same files as nbgrader's (the submission's but what is ignored, the source's data file and folder), each
    with nbgrader's mode (444: c.Autograde.permissions by default), autograder.json besides."""
    for student in ("ontime", "late"):
        mine = _tree(graded["ours"] / "autograded" / student / FIXTURE)
        nbgraders = _tree(graded["theirs"] / "autograded" / student / FIXTURE)
        assert mine.pop(RESULT_FILE) == "0o444"
        assert mine == nbgraders
        assert "tables/scale.txt" in mine and "timestamp.txt" in mine and mine["data.csv"] == "0o444"
    ontime = _tree(graded["ours"] / "autograded" / "ontime" / FIXTURE)
    assert {"helper.py", "notes.txt"} <= set(ontime) and not any("pycache" in f or "checkpoint" in f for f in ontime)


def test_a_data_file_named_by_exclude_overwriting_keeps_the_students_copy(graded):
    """c.Autograde.exclude_overwriting: the kernel reads the student's data.csv, as nbgrader's does, and the
    autograded folder keeps it."""
    for student, text in (("ontime", "the student's copy"), ("late", "the late student's copy")):
        for root in (graded["ours"], graded["theirs"]):
            folder = root / "autograded" / student / FIXTURE
            nb = nbformat.read(folder / f"{FIXTURE}.ipynb", as_version=4)
            printed = next(c for c in nb.cells if c.source == READ_DATA).outputs
            assert [o.get("text", "").strip() for o in printed] == [text], (root.name, student, printed)
            assert (folder / "data.csv").read_text() == text


def test_a_python_file_named_by_exclude_overwriting_is_the_students_and_not_flagged(new_course):
    """The teacher asked for the student's helpers.py (nbgrader's example of exclude_overwriting): it reaches the
    sandbox instead of the source's, unflagged; another Python file is still kept out and flagged."""
    root = new_course("helpers")
    with open(root / "nbgrader_config.py", "a") as f:
        f.write(f'\nc.Autograde.exclude_overwriting = {{"{FIXTURE}": ["helpers.py"]}}\n')
    (root / "source" / FIXTURE / "helpers.py").write_text("SOURCE = True\n")
    (root / "source" / FIXTURE / "data.csv").write_text("the teacher's copy")
    folder = root / "submitted" / "ada" / FIXTURE
    folder.mkdir(parents=True)
    for name in ("helpers.py", "numpy.py", "data.csv"):
        (folder / name).write_text("mine")
    record = Outcome("ada", FIXTURE)
    files = task._files(Course.at(root), submission.Submission("ada", FIXTURE, folder), record, 1 << 20)
    assert [(str(path), rel) for path, rel in files] == [
        (str(folder / "data.csv"), "data.csv"), (str(folder / "helpers.py"), "helpers.py"),
        (str(root / "source" / FIXTURE / "data.csv"), "data.csv")]   # copied in this order: the source's wins
    assert record.flags == ["submitted Python files: numpy.py"]


def _store(course: Course, student: str) -> Path:
    """``autograded.store`` of a blank submission of the fixture (no kernel: the release notebook as graded)."""
    folder = course.submitted / student / FIXTURE
    folder.mkdir(parents=True)
    nb = nbformat.read(course.release_notebook(FIXTURE), as_version=4)
    nbformat.write(nb, folder / f"{FIXTURE}.ipynb")
    (folder / "sub").mkdir()
    (folder / "sub" / "notes.txt").write_text("mine")
    record = Outcome(student, FIXTURE, notebooks=[NotebookOutcome(FIXTURE, {"double_values": 0.0, "answer_value": 0.0,
                                                                            "why_double": None})])
    autograded.store(course, record, folder, [(FIXTURE, nb)])
    return course.autograded / student / FIXTURE


@pytest.mark.parametrize("extra", ["c.CourseDirectory.groupshared = True", "c.Autograde.permissions = 440"])
def test_groupshared_and_configured_permissions_give_nbgraders_modes(new_course, extra):
    """A group-shared course (files 664, folders g+rwxs, autograded/ too) and c.Autograde.permissions: the modes of
    ours, compared with what nbgrader's own BaseConverter.set_permissions gives a copy of the same folder."""
    root = new_course("modes")
    (root / "nbgrader_config.py").write_text(CONFIG.read_text() + "\n" + extra + "\n")
    gradebook.sync(root, gradebook.default_url(root), [FIXTURE])
    course = Course.at(root)
    mine = _store(course, "ada")

    theirs = root.parent / "theirs"
    shutil.copytree(mine, theirs / "autograded" / "ada" / FIXTURE, copy_function=shutil.copyfile)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(theirs)
    coursedir = CourseDirectory(config=config)
    Autograde(coursedir=coursedir, config=config).set_permissions(FIXTURE, "ada")
    expected = _tree(theirs / "autograded" / "ada" / FIXTURE)
    assert _tree(mine) == expected
    assert oct(stat.S_IMODE(course.autograded.stat().st_mode)) == oct(stat.S_IMODE((theirs / "autograded").stat()
                                                                                    .st_mode))
    if "groupshared" in extra:
        assert expected["sub/notes.txt"] == "0o664" and int(expected["sub"], 8) & 0o2770 == 0o2770
    else:
        assert expected["sub/notes.txt"] == "0o440"


# -- each late-penalty policy, on a copy of the real course -----------------------------------------------------
REAL = "03_relu"
POLICY_PLUGIN = '''"""A course's own late-penalty policy: a module beside nbgrader_config.py."""
import math

from nbgrader.plugins import BasePlugin


class OnePointPerDay(BasePlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        return float(math.ceil(total_seconds_late / 86400))
'''
# 03_relu's autograded points, all of which the submissions below get
FULL = sum(gradebook.autograded_cells(nbformat.read(REPO / "source" / REAL / f"{REAL}.ipynb", as_version=4)).values())
POLICIES = {   # config -> penalty of a 1 day 2 hours late submission with full autograded marks (FULL points)
    "zero": ('c.LateSubmissionPlugin.penalty_method = "zero"', FULL),
    "none": ('c.LateSubmissionPlugin.penalty_method = "none"', None),
    "plugin": ('c.AssignLatePenalties.plugin_class = "late_policy.OnePointPerDay"', 2.0),
    "unset": ("", None),
}


@pytest.fixture(scope="session")
def real_course(tmp_path_factory):
    """A copy of the real course's 03_relu, in the gradebook with a due date."""
    root = tmp_path_factory.mktemp("real") / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy2(CONFIG, root / "nbgrader_config.py")
    for kind in ("source", "release"):
        shutil.copytree(REPO / kind / REAL, root / kind / REAL)
    gradebook.sync(root, gradebook.default_url(root), [REAL])
    with Gradebook(gradebook.default_url(root)) as gb:
        gb.update_or_create_assignment(REAL, duedate=DUE)
    return root


def _full_marks(student: str, stamp: str) -> Outcome:
    """A graded submission of 03_relu with every autograded point (FULL) and its written answer left to the teacher,
    handed in at ``stamp`` (as prepare_task reads timestamp.txt: nbgrader's parse_utc)."""
    nb = nbformat.read(REPO / "source" / REAL / f"{REAL}.ipynb", as_version=4)
    points = gradebook.autograded_cells(nb)
    return Outcome(student, REAL, timestamp=parse_utc(stamp).isoformat(),
                   notebooks=[NotebookOutcome(REAL, {**points, "relu_derivative_at_zero": None},
                                              {**points, "relu_derivative_at_zero": 2.0})])


@pytest.mark.parametrize("policy", POLICIES)
def test_each_late_policy_gives_the_penalty_nbgraders_preprocessor_gives(real_course, tmp_path, monkeypatch, policy):
    """penalty_method "zero" and "none", a plugin class of the course's own, and nothing configured: the penalty
    gradebook.record writes with the scores is the one nbgrader's AssignLatePenalties writes into a copy of the same
    gradebook; the export subtracts it; an on-time submission (and one handed in again on time) has none."""
    setting, expected = POLICIES[policy]
    root = tmp_path / "course"
    shutil.copytree(real_course, root)
    (root / "nbgrader_config.py").write_text(CONFIG.read_text() + "\n" + setting + "\n")
    (root / "late_policy.py").write_text(POLICY_PLUGIN)
    course = Course.at(root)
    for student, stamp in (("ontime", ON_TIME), ("late", LATE), ("again", LATE)):
        gradebook.record(course.db_url, _full_marks(student, stamp), course.late_penalties)
    gradebook.record(course.db_url, _full_marks("again", ON_TIME), course.late_penalties)   # handed in again

    theirs = f"sqlite:///{tmp_path / 'nbgrader.db'}"
    shutil.copyfile(root / "gradebook.db", tmp_path / "nbgrader.db")
    monkeypatch.syspath_prepend(str(root))       # as nbgrader's app puts the course folder on sys.path
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    nb = nbformat.read(root / "source" / REAL / f"{REAL}.ipynb", as_version=4)
    for student in ("ontime", "late", "again"):
        resources = {"nbgrader": {"notebook": REAL, "assignment": REAL, "student": student, "db_url": theirs}}
        AssignLatePenalties(config=config).preprocess(nb, resources)

    def penalties(db_url):
        with Gradebook(db_url) as gb:
            return {s: gb.find_submission_notebook(REAL, REAL, s).late_submission_penalty
                    for s in ("ontime", "late", "again")}
    assert penalties(course.db_url) == penalties(theirs) == {"ontime": None, "late": expected, "again": None}
    rows = {r.student: r for r in export.rows(course.db_url, REAL)}
    assert {s: (r.score, r.late_penalty) for s, r in rows.items()} == {
        "ontime": (FULL, 0.0), "again": (FULL, 0.0), "late": (FULL - (expected or 0.0), expected or 0.0)}


def test_a_plugin_that_cannot_be_loaded_stops_grading_before_anything_runs(tmp_path):
    root = tmp_path / "course"
    courses.make_course(root)
    with open(root / "nbgrader_config.py", "a") as f:
        f.write('\nc.AssignLatePenalties.plugin_class = "no_such_module.Policy"\n')
    sub = root / "submitted" / "ada" / FIXTURE
    sub.mkdir(parents=True)
    nbformat.write(courses.filled(root, FIXTURE, classroom.SOLVED), sub / f"{FIXTURE}.ipynb")
    with pytest.raises(ValueError, match="no_such_module"):
        grade.grade(root, sandbox_mode="none", quiet=True)
    assert not (root / "autograded").exists() and submission.find(Course.at(root))
    assert not os.path.exists(root / "gradebook.db")


def test_a_student_excluded_after_grading_is_left_out_of_the_exports_and_the_report(new_course, tmp_path):
    """A test account graded before the teacher excluded it: the CSVs uploaded to the LMS and the class
    statistics leave it out, and both commands say so. A space after a comma excludes nobody: the log says so."""
    root = new_course("excluded-later")
    _hand_in(root, "ann", ON_TIME)
    _hand_in(root, "testprof", ON_TIME)
    assert grade.grade(root, workers=1, quiet=True).ok
    with (root / "nbgrader_config.py").open("a") as config:
        config.write('\nc.CourseDirectory.student_id_exclude = "testprof, demo"\n')
    said: list[str] = []
    export.export(root, out=tmp_path / "exports", log=said.append)
    assert set(_csv(tmp_path / "exports" / f"{FIXTURE}.csv")) == {"ann"}
    assert set(_csv(tmp_path / "exports" / "term.csv")) == {"ann"}
    assert "left out, as c.CourseDirectory.student_id_exclude asks: testprof" in said
    assert any("names ' demo', spaces included" in line and "'demo,testprof'" in line for line in said), said
    said.clear()
    report.report(root, out=tmp_path / "reports", log=said.append)
    page = (tmp_path / "reports" / f"{FIXTURE}.html").read_text()
    assert "testprof" not in page and "ann" in page
    asked = feedback.generate(root, students=["testprof"], log=lambda *a: None)
    assert not asked.ok
    assert asked.errors == ["no feedback for testprof: excluded by c.CourseDirectory.student_id_exclude"]
    assert any(line.startswith(f"{FIXTURE}: 1 of 1 submitted") for line in said), said
