"""The roster import of ``python -m autograder roster`` (autograder/export.py), into a new gradebook, and the
roster files it refuses. (Exporting grades runs in tests/test_term.py and tests/test_postgres.py.)"""
from __future__ import annotations

import pytest

from autograder import export, gradebook


def test_roster_import(tmp_path):
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nalice,Alice,Martin,a@x.org\nbob,Bob,,\n")
    assert export.import_roster(db, roster, log=lambda *a: None) == 2
    with gradebook.connect(db) as gb:
        students = {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}
    assert students == {"alice": ("Alice", "Martin", "a@x.org"), "bob": ("Bob", None, None)}
    roster.write_text("id,first_name\nalice,A\nalice,B\n,C\n")
    with pytest.raises(ValueError, match=r"no id on line\(s\) \[4\]; ids given twice: alice"):
        export.import_roster(db, roster)
    roster.write_text("name\nx\n")
    with pytest.raises(ValueError, match="no column 'id'"):
        export.import_roster(db, roster)
