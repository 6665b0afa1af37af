"""``python -m autograder export --format moodle|canvas`` (autograder/lms.py), file by file against the import
formats the module's docstring quotes: on the graded class of tests/support/classroom.py (late penalty, an excluded
student, a student the roster lacks, a student without an email, names with commas, quotes and accents) and on a
copy of the real course (its six assignments and their points)."""
from __future__ import annotations

import csv
import shutil

import pytest
from nbgrader.api import Gradebook

from autograder import coursedir, gradebook
from autograder.__main__ import main
from support import classroom, courses

FIRST, SECOND = classroom.FIRST, classroom.SECOND
NAMES = {"alice": ("Élodie", 'Martin, dite "la Grande"'), "bob": ("Bob", "Le Bœuf")}
EMAILS = {"alice": "alice@example.org", "bob": "bob@example.org", "carol": "carol@example.org",
          "dave": "dave@example.org", "erin": "erin@example.org", "gina": "gina@example.org"}
LMS_ROSTER = ("student_id,canvas_id,sis_user_id,sis_login_id,section,idnumber,username\n"
              "alice,101,S-1,alice.m,Groupe A,2026001,amartin\n"
              "bob,102,,,Groupe A,2026002,\n"
              "carol,,S-3,,Groupe B,2026003,\n"
              "dave,,,dave.t,Groupe B,2026004,\n"
              "erin,105,,,,2026005,\n"
              "gina,107,,,,2026007,\n"
              "zoe,108,,,,2026008,\n")
PENALTY = 1.0     # carol handed in 01_fixture_again late


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("lms") / "course"
    classroom.build(root)
    with Gradebook(gradebook.default_url(root)) as gb:
        for sid, (first, last) in NAMES.items():
            gb.update_or_create_student(sid, first_name=first, last_name=last)
        for sid, email in EMAILS.items():
            gb.update_or_create_student(sid, email=email)
        gb.update_or_create_student("zoe")          # handed in under an id the roster lacks: no name, no email
        for nb in gb.find_submission(SECOND, "carol").notebooks:
            nb.late_submission_penalty = PENALTY
        gb.db.commit()
    with open(root / "nbgrader_config.py", "a") as f:
        f.write('\nc.CourseDirectory.student_id_exclude = "frank"\n')
    (root / "lms_roster.csv").write_text(LMS_ROSTER, encoding="utf-8")
    return root


def run(root, monkeypatch, config: str = "", *args) -> tuple[int, str]:
    """``export`` in ``root`` with ``config`` appended to its nbgrader_config.py (then taken off again)."""
    path = root / "nbgrader_config.py"
    before = path.read_text()
    path.write_text(before + "\n" + config + "\n")
    monkeypatch.chdir(root)
    try:
        return main(["export", *args]), path
    finally:
        path.write_text(before)


def expected(student: str) -> list[float]:
    total = {a: classroom.expected_total(a, student) for a in classroom.ASSIGNMENTS}
    if student == "carol":
        total[SECOND] -= PENALTY
    return [total[a] for a in classroom.ASSIGNMENTS]


STUDENTS = ["alice", "bob", "carol", "dave", "erin", "gina", "zoe"]       # frank is excluded
# Written answers not graded yet (classroom.CLASS): alice's of the first is graded by hand, bob and dave left it
# blank (0), frank is excluded; counted 0 in the file that is uploaded, which must say so.
WAITING = {FIRST: "2 with written answers still to grade by hand (counted 0): carol, erin",
           SECOND: "3 with written answers still to grade by hand (counted 0): alice, bob, carol"}


def says_what_waits(out: str, name: str) -> bool:
    return all(f"exports/{name}: {a}: {WAITING[a]}" in out.splitlines() for a in classroom.ASSIGNMENTS)


def test_moodle_by_username(graded, monkeypatch, capsys):
    code, _ = run(graded, monkeypatch, "c.Export.moodle_identifier = 'username'\n"
                  f"c.Export.moodle_items = {{'{SECOND}': 'TP 2 : encore, \"double\"'}}", "--format", "moodle")
    assert code == 0, capsys.readouterr().err
    raw = (graded / "exports" / "moodle.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")           # Moodle: UTF-8 chosen in the import form, no BOM
    with open(graded / "exports" / "moodle.csv", newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    assert table[0] == ["Username", "First name", "Last name", FIRST, 'TP 2 : encore, "double"']
    body = {r[0]: r for r in table[1:]}
    usernames = {"alice": "amartin"} | {s: s for s in STUDENTS if s != "alice"}
    assert list(body) == [usernames[s] for s in STUDENTS]
    assert body["amartin"][1:3] == ["Élodie", 'Martin, dite "la Grande"']
    assert body["zoe"][1:3] == ["", ""]
    for s in STUDENTS:
        assert [float(x) for x in body[usernames[s]][3:]] == expected(s), s
    out = capsys.readouterr().out
    assert "left out, as c.CourseDirectory.student_id_exclude asks: frank" in out
    assert says_what_waits(out, "moodle.csv"), out


def test_moodle_by_email_refuses_a_student_without_one(graded, monkeypatch, capsys):
    (graded / "exports").mkdir(exist_ok=True)
    before = (graded / "exports" / "moodle.csv").read_bytes() if (graded / "exports" / "moodle.csv").exists() else None
    code, _ = run(graded, monkeypatch, "", "--format", "moodle")       # email is the default identifier
    err = capsys.readouterr().err
    assert code == 2 and "1 student(s) have no email" in err and ": zoe;" in err and "nothing written" in err
    after = (graded / "exports" / "moodle.csv").read_bytes() if (graded / "exports" / "moodle.csv").exists() else None
    assert after == before
    code, _ = run(graded, monkeypatch, "c.Export.moodle_identifier = 'idnumber'", "--format", "moodle")
    assert code == 0, capsys.readouterr().err
    with open(graded / "exports" / "moodle.csv", newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    assert table[0][0] == "ID number" and [r[0] for r in table[1:]] == [
        "2026001", "2026002", "2026003", "2026004", "2026005", "2026007", "2026008"]


def test_canvas(graded, monkeypatch, capsys):
    code, _ = run(graded, monkeypatch, f"c.Export.canvas_assignments = {{'{FIRST}': 5001, '{SECOND}': '5002'}}\n"
                  f"c.Export.canvas_names = {{'{FIRST}': 'Devoir 1, « double »'}}", "--format", "canvas")
    assert code == 0, capsys.readouterr().err
    raw = (graded / "exports" / "canvas.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(graded / "exports" / "canvas.csv", newline="", encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                        "Devoir 1, « double » (5001)", f"{SECOND} (5002)"]
    assert table[1] == ["    Points Possible", "", "", "", "", "4", "4"]
    body = table[2:]
    assert [r[0] for r in body] == ['Martin, dite "la Grande", Élodie', "Le Bœuf, Bob", "Dubois, Carol",
                                    "Thomas, Dave", "Robert, Erin", "Durand, Gina", "zoe"]
    assert [r[1:5] for r in body] == [["101", "S-1", "alice.m", "Groupe A"], ["102", "", "", "Groupe A"],
                                      ["", "S-3", "", "Groupe B"], ["", "", "dave.t", "Groupe B"],
                                      ["105", "", "", ""], ["107", "", "", ""], ["108", "", "", ""]]
    for student, r in zip(STUDENTS, body):
        assert [float(x) for x in r[5:]] == expected(student), student
    out = capsys.readouterr().out
    assert says_what_waits(out, "canvas.csv"), out


def test_canvas_refusals(graded, monkeypatch, capsys):
    path = graded / "exports" / "canvas.csv"
    before = path.read_bytes() if path.exists() else None
    code, _ = run(graded, monkeypatch, f"c.Export.canvas_assignments = {{'{FIRST}': 5001}}", "--format", "canvas")
    err = capsys.readouterr().err
    assert code == 2 and f"no Canvas assignment id for {SECOND}" in err and "c.Export.canvas_assignments" in err
    shutil.copy2(graded / "lms_roster.csv", graded / "lms_roster.bak")
    (graded / "lms_roster.csv").write_text(LMS_ROSTER.replace("zoe,108,", "zoe,,"), encoding="utf-8")
    try:
        code, _ = run(graded, monkeypatch, f"c.Export.canvas_assignments = {{'{FIRST}': 1, '{SECOND}': 2}}",
                      "--format", "canvas")
    finally:
        shutil.move(graded / "lms_roster.bak", graded / "lms_roster.csv")
    err = capsys.readouterr().err
    assert code == 2 and "have no Canvas ID, SIS User ID nor SIS Login ID" in err and ": zoe;" in err
    assert (path.read_bytes() if path.exists() else None) == before
    (graded / "lms_roster.csv").write_text(LMS_ROSTER.replace("zoe,108,", "zoe,101,"), encoding="utf-8")
    try:
        code, _ = run(graded, monkeypatch, f"c.Export.canvas_assignments = {{'{FIRST}': 1, '{SECOND}': 2}}",
                      "--format", "canvas")
    finally:
        (graded / "lms_roster.csv").write_text(LMS_ROSTER, encoding="utf-8")
    err = capsys.readouterr().err
    assert code == 2 and "canvas_id given to more than one student" in err and ": 101;" in err
    assert (path.read_bytes() if path.exists() else None) == before
    code, _ = run(graded, monkeypatch, "c.Export.moodle_identifer = 'email'", "--format", "csv")
    assert code == 0
    assert "c.Export.moodle_identifer is not a setting of Export" in capsys.readouterr().err


def test_real_course_canvas(tmp_path, monkeypatch, capsys):
    """The six real assignments: one column each, with the points nbgrader counts for it."""
    root = tmp_path / "course"
    real = coursedir.assignments(courses.REPO)
    assert len(real) == 6
    (root / "source").mkdir(parents=True)
    shutil.copy2(courses.CONFIG, root / "nbgrader_config.py")
    for name in real:
        for kind in ("source", "release"):
            shutil.copytree(courses.REPO / kind / name, root / kind / name)
    db_url = gradebook.default_url(root)
    gradebook.sync(root, db_url, real)
    with Gradebook(db_url) as gb:
        gb.update_or_create_student("ana", first_name="Ana", last_name="Sánchez, Ruiz", email="ana@example.org")
        maxima = [gb.find_assignment(a).max_score for a in real]
    (root / "lms_roster.csv").write_text("student_id,canvas_id\nana,7\n")
    ids = {a: 900 + i for i, a in enumerate(real)}
    code, _ = run(root, monkeypatch, f"c.Export.canvas_assignments = {ids!r}", "--format", "canvas")
    assert code == 0, capsys.readouterr().err
    with open(root / "exports" / "canvas.csv", newline="", encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    assert table[0][5:] == [f"{a} ({ids[a]})" for a in real]
    assert [float(x) for x in table[1][5:]] == maxima and all(m > 0 for m in maxima)
    assert table[2] == ["Sánchez, Ruiz, Ana", "7", "", "", ""] + ["0"] * 6
    code, _ = run(root, monkeypatch, "", "--format", "moodle")
    assert code == 0
    with open(root / "exports" / "moodle.csv", newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == [["Email address", "First name", "Last name", *real],
                                       ["ana@example.org", "Ana", "Sánchez, Ruiz"] + ["0"] * 6]
