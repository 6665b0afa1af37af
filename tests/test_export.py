"""The roster import of ``python -m autograder roster`` (autograder/export.py), into a new gradebook, and the
roster files it refuses. (Exporting grades runs in tests/test_term.py and tests/test_postgres.py.)"""
from __future__ import annotations

import re

import pytest

from autograder import export, gradebook
from autograder.__main__ import main

EXPECTED = ("a roster has the columns id (required), first_name, last_name, email, lms_user_id (optional), as "
            "`nbgrader db student import` reads them")


def test_roster_import(tmp_path):
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nalice,Alice,Martin,a@x.org\nbob,Bob,,\n")
    said = []
    assert export.import_roster(db, roster, log=said.append) == 2
    with gradebook.connect(db) as gb:
        students = {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}
    assert students == {"alice": ("Alice", "Martin", "a@x.org"), "bob": ("Bob", None, None)}
    assert said == [f"roster: 2 student(s) from {roster}: 2 added (alice, bob), 0 updated, 0 already there unchanged"]
    roster.write_text("id,first_name\nalice,A\nalice,B\n,C\n")
    with pytest.raises(ValueError, match=r"no id on line\(s\) \[4\]; ids given twice: alice"):
        export.import_roster(db, roster)
    roster.write_text("name\nx\n")
    with pytest.raises(ValueError, match="no column 'id'"):
        export.import_roster(db, roster)


def test_running_the_roster_again_says_who_was_added_and_who_updated(tmp_path):
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name\nalice,Alice,Martin\nbob,Bob,Bernard\ndave,Dave,Thomas\n")
    export.import_roster(db, roster, log=lambda *a: None)
    roster.write_text("student_id,first_name,last_name\nalice,Alice,Martin\nbob,Bob,Le Bœuf\némilie,Émilie,Lefèvre\n")
    said = []
    assert export.import_roster(db, roster, log=said.append) == 3
    assert said == [f"roster: 3 student(s) from {roster}: 1 added (émilie), 1 updated (bob), 1 already there "
                    "unchanged; the gradebook also has 1 student(s) this file does not list, kept: dave"]
    with gradebook.connect(db) as gb:
        assert gb.find_student("bob").last_name == "Le Bœuf" and gb.find_student("émilie").first_name == "Émilie"


@pytest.mark.parametrize("text, why, found", [
    ("id,name\nalice,Alice Martin\n", "unknown column(s) name", "id, name"),                 # the teacher's file
    ("id;first_name;last_name\nalice;Alice;Martin\n", "no column 'id'", "id;first_name;last_name (the file "
     "separates its columns with ';': save it as CSV with commas)"),                           # a French Excel
    ("id,first_name\n", "no student in it", "id, first_name"),
    ("", "no column 'id'", "none"),
])
def test_a_roster_without_the_expected_columns_is_refused_naming_them(tmp_path, text, why, found):
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    (tmp_path / "roster.csv").write_text(text)
    with pytest.raises(ValueError) as refused:
        export.import_roster(db, tmp_path / "roster.csv")
    assert str(refused.value) == f"{tmp_path / 'roster.csv'}: {why}; {EXPECTED}; found: {found}"
    with gradebook.connect(db) as gb:
        assert gb.students == []


def test_a_roster_that_is_not_there_says_where_it_was_looked_for(new_course, monkeypatch, capsys):
    root = new_course("no-roster")
    monkeypatch.chdir(root)
    assert main(["roster", "roster.csv"]) == 2
    assert capsys.readouterr().err.strip() == (f"error: roster.csv: no such file (looked for "
                                               f"{root.resolve() / 'roster.csv'})")
    with pytest.raises(FileNotFoundError, match=re.escape(f"a folder, not a CSV file (looked for {root.resolve()})")):
        export.import_roster(gradebook.default_url(root), root)
