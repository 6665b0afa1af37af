"""A whole term on one machine, through the teacher's commands (``python -m autograder ...``) as the README gives
them, on a temporary two-assignment course (tests/support/classroom.py):

1. ``release --exchange``: release/ regenerated, checked, put in a temporary nbgrader exchange;
2. two students, each a different user (uid and name, through a bubblewrap user namespace and their own
   passwd entry, as on a JupyterHub) with their own home, ``nbgrader fetch_assignment``, work, ``nbgrader submit``;
3. ``collect 00_fixture`` from the exchange; ``collect 01_fixture_again download.zip`` from an LMS download with
   a misnamed notebook and files that match no student (so it exits 1: they need the teacher);
4. ``grade``; ``feedback --exchange`` (no hidden line in any page, the failure message in the failing one), and
   the students ``nbgrader fetch_feedback``;
5. ``export``: rows and totals; ``report``: the files.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import feedback, nbgrader_cli
from support import classroom, courses

# One worker runs the whole module: its fixture builds (and grades) a class once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("term")]
COURSE_ID = "backprop-step-by-step"
STUDENTS = {"alice": (1001, classroom.SOLVED), "bob": (1002, {**classroom.SOLVED, "double": classroom.PLUS_ONE}),
            "chloe": (1003, classroom.SOLVED)}
FRENCH = {"chloe"}      # fetches both editions, works in the French one, submits the folder (both)
LMS = {   # path inside the download -> (student or None, cells)
    "carol/01_fixture_again.ipynb": ("carol", classroom.SOLVED),
    "dave/01_fixture_again (2).ipynb": ("dave", {**classroom.SOLVED, "answer": "answer = 41\n"}),   # misnamed
    "01_fixture_again.ipynb": (None, classroom.SOLVED),                     # no student in its path
    "erin/01_fixture_again.pdf": (None, None),                              # not a notebook
    "erin/00_fixture.ipynb": (None, classroom.SOLVED),                      # another assignment's notebook
}


def teacher(root: Path, *args: str, status: int = 0) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "autograder", *args], cwd=root, capture_output=True, text=True,
                            env=nbgrader_cli.environment(), timeout=600)
    assert result.returncode == status, f"autograder {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def student(tmp: Path, name: str, *args: str) -> subprocess.CompletedProcess:
    """``nbgrader ARGS`` run by student ``name``: their own uid and user name, their home as cwd."""
    uid, _ = STUDENTS[name]
    home = tmp / "home" / name
    env = nbgrader_cli.environment({"HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
                                    "USER": name, "LOGNAME": name})
    command = ["bwrap", "--bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-user",
               "--uid", str(uid), "--gid", str(uid), "--ro-bind", str(tmp / "passwd"), "/etc/passwd",
               "--chdir", str(home), "--", sys.executable, "-m", "nbgrader", *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, f"{name}: nbgrader {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def _bwrap_user_namespaces(tmp: Path) -> str | None:
    if not shutil.which("bwrap"):
        return "bubblewrap is missing (`apt-get install bubblewrap`; .ci/run installs it)"
    probe = subprocess.run(["bwrap", "--bind", "/", "/", "--unshare-user", "--uid", "1001", "--", "true"],
                           capture_output=True, text=True)
    return None if probe.returncode == 0 else f"bwrap cannot make a user namespace here: {probe.stderr.strip()}"


@pytest.fixture(scope="session")
def term(new_course):
    root = new_course("term", classroom.ASSIGNMENTS)
    tmp = root.parent
    problem = _bwrap_user_namespaces(tmp)
    if problem:
        pytest.skip(problem)
    shutil.rmtree(root / "release")          # `release` makes it
    exchange = tmp / "exchange"
    exchange.mkdir(mode=0o1777)
    os.chmod(exchange, 0o1777)
    with open(root / "nbgrader_config.py", "a") as f:
        f.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    passwd = Path("/etc/passwd").read_text()
    (tmp / "passwd").write_text(passwd + "".join(f"{n}:x:{uid}:{uid}:{n}:{tmp / 'home' / n}:/bin/sh\n"
                                                 for n, (uid, _) in STUDENTS.items()))
    for name in STUDENTS:
        (tmp / "home" / name / ".jupyter").mkdir(parents=True)
        (tmp / "home" / name / ".jupyter" / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\nc.CourseDirectory.course_id = {COURSE_ID!r}\n")
    out = {"root": root, "tmp": tmp, "exchange": exchange}

    out["release"] = teacher(root, "release", "--exchange")
    for name, (_, cells) in STUDENTS.items():
        student(tmp, name, "fetch_assignment", classroom.FIRST)
        edition = ".fr" if name in FRENCH else ""
        path = tmp / "home" / name / classroom.FIRST / f"{classroom.FIRST}{edition}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") in cells:
                cell.source = cells[cell.metadata.nbgrader.grade_id]
        nbformat.write(nb, path)
        student(tmp, name, "submit", classroom.FIRST)
    out["collect_exchange"] = teacher(root, "collect", classroom.FIRST)

    download = tmp / "download.zip"
    with zipfile.ZipFile(download, "w") as z:
        for rel, (_, cells) in LMS.items():
            body = "%PDF-1.4" if cells is None else nbformat.writes(courses.filled(root, classroom.SECOND, cells))
            z.writestr(f"Devoir 2 - téléchargement/{rel}", body)
    # exit 1: three files were left uncollected, and the teacher must look at them
    out["collect_lms"] = teacher(root, "collect", classroom.SECOND, str(download), status=1)

    out["grade"] = teacher(root, "grade", "--workers", "2")
    out["feedback"] = teacher(root, "feedback", "--exchange")
    for name in STUDENTS:
        student(tmp, name, "fetch_feedback", classroom.FIRST)
    out["export"] = teacher(root, "export")
    out["report"] = teacher(root, "report")
    return out


def test_release_went_to_the_exchange(term):
    outbound = term["exchange"] / COURSE_ID / "outbound"
    for name in classroom.ASSIGNMENTS:
        assert (outbound / name / f"{name}.ipynb").is_file()
        assert (outbound / name / f"{name}.fr.ipynb").is_file(), "the exchange releases both editions"
        assert f"released {name} -> release/{name}/" in term["release"].stdout


def test_each_student_submitted_as_themselves(term):
    inbound = sorted(p.name.split("+")[0] for p in (term["exchange"] / COURSE_ID / "inbound").iterdir())
    assert inbound == sorted(STUDENTS)
    for name in STUDENTS:
        assert (term["root"] / "submitted" / name / classroom.FIRST / f"{classroom.FIRST}.ipynb").is_file()
        assert (term["root"] / "submitted" / name / classroom.FIRST / "timestamp.txt").is_file()


def test_lms_collect_reports_every_file(term):
    text = term["collect_lms"].stdout
    assert "collected 2 student(s): carol (1 file), dave (1 file)" in text
    assert "dave/01_fixture_again (2).ipynb: misnamed" in text
    assert "NOT COLLECTED (3 file(s)" in text
    assert "01_fixture_again.ipynb: no student in its path" in text
    assert "erin/01_fixture_again.pdf: not a notebook (.pdf)" in text
    assert "erin/00_fixture.ipynb: the notebook of another assignment (00_fixture)" in text
    assert f"Look at the files above (in downloaded/{classroom.SECOND}/extracted/)" in text
    assert "set c.Collector.patterns in nbgrader_config.py" in text and f"(`{classroom.SECOND}.ipynb`)" in text
    assert "note: the gradebook has no roster yet" in text
    assert not (term["root"] / "submitted" / "erin").exists()


def test_grades(term):
    rows = {tuple(r.split()[:2]): r.split()[2] for r in term["grade"].stdout.splitlines()
            if r.split()[:1] and r.split()[0] in {*STUDENTS, "carol", "dave"}}
    assert rows == {("alice", classroom.FIRST): "3/3", ("bob", classroom.FIRST): "1/3",
                    ("chloe", classroom.FIRST): "3/3", ("carol", classroom.SECOND): "3/3",
                    ("dave", classroom.SECOND): "2/3"}, term["grade"].stdout


def test_feedback_shows_the_message_and_no_hidden_line(term):
    root = term["root"]
    page = (root / "feedback" / "bob" / classroom.FIRST / f"{classroom.FIRST}.html").read_text()
    text = feedback.html_text(page)
    assert classroom.FAILURES[classroom.FIRST, "erin"]["double_values"] in text      # bob has erin's mistake
    assert "A hidden check of the test cell failed" in text
    for path in (root / "feedback").rglob("*.html"):
        shown = feedback.html_text(path.read_text())
        assert not [line for line in classroom.HIDDEN_LINES if line in shown], path
        assert "BEGIN HIDDEN TESTS" not in shown, path
    dave = feedback.html_text((root / "feedback" / "dave" / classroom.SECOND / f"{classroom.SECOND}.html").read_text())
    assert "answer is 41, not the ultimate one" in dave
    assert "the notebook was named 01_fixture_again (2).ipynb" in dave      # the note about the misnamed file


def test_students_fetched_their_feedback(term):
    for name in STUDENTS:
        pages = list((term["tmp"] / "home" / name / classroom.FIRST / "feedback").rglob(f"{classroom.FIRST}.html"))
        assert len(pages) == 1, pages
        assert pages[0].read_text() == (term["root"] / "feedback" / name / classroom.FIRST /
                                        f"{classroom.FIRST}.html").read_text()


def test_export(term):
    root = term["root"]
    with open(root / "exports" / "term.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert sorted(rows) == ["alice", "bob", "carol", "chloe", "dave"]
    expected = {"alice": (3, 0), "bob": (1, 0), "carol": (0, 3), "chloe": (3, 0), "dave": (0, 2)}
    for name, (first, second) in expected.items():
        assert float(rows[name][classroom.FIRST]) == first
        assert float(rows[name][classroom.SECOND]) == second
        assert float(rows[name]["total"]) == first + second
        assert float(rows[name]["max_total"]) == 8
    with open(root / "exports" / f"{classroom.SECOND}.csv", newline="") as f:
        second = {r["student_id"]: r for r in csv.DictReader(f)}
    assert second["alice"]["submitted"] == "no" and float(second["alice"]["score"]) == 0
    assert second["dave"]["submitted"] == "yes" and second["dave"]["to_grade_by_hand"] == "1"


def test_report_files(term):
    reports = term["root"] / "reports"
    for name in (*classroom.ASSIGNMENTS, "term"):
        assert (reports / f"{name}.html").is_file() and (reports / f"{name}.csv").is_file()


def test_a_student_who_worked_in_french_is_graded_on_the_french_edition(term):
    """chloe fetched both editions and submitted the folder: the French one, which she worked on, is graded, she is
    told so, in French; her score is alice's (the same answers); the report counts one French submission."""
    import json

    record = json.loads((term["root"] / "autograded" / "chloe" / classroom.FIRST / "autograder.json").read_text())
    assert [nb["language"] for nb in record["notebooks"]] == ["fr"]
    assert any(n.startswith("les deux éditions ont été rendues") and f"{classroom.FIRST}.fr.ipynb" in n
               for n in record["notes"]), record["notes"]
    with open(term["root"] / "exports" / "term.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert rows["chloe"][classroom.FIRST] == rows["alice"][classroom.FIRST]
    page = (term["root"] / "reports" / f"{classroom.FIRST}.html").read_text(encoding="utf-8")
    assert "1 French" in page and "editions graded" in page
    with open(term["root"] / "reports" / f"{classroom.FIRST}.csv", newline="", encoding="utf-8") as f:
        editions = {r["key"]: r["value"] for r in csv.DictReader(f) if r["section"] == "edition"}
    assert editions == {"en": "2", "fr": "1"}, editions
