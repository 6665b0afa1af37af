"""The parts of ``python -m autograder collect`` that need no grading: how a student is read from a path inside an
LMS download, and how a download is unpacked. (The whole flow, exchange and LMS zip, runs in tests/test_term.py;
the roster import is in tests/test_export.py.)"""
from __future__ import annotations

import re
import zipfile

import pytest

from autograder import collect
from autograder.collect import Collector

PATTERNS = Collector().patterns


def read(rel: str) -> tuple[str, str] | None:
    match = next((m for m in (re.fullmatch(p, rel) for p in PATTERNS) if m), None)
    return (match["student_id"], match["file_id"]) if match else None


@pytest.mark.parametrize("rel, expected", [
    ("alice/03_relu.ipynb", ("alice", "03_relu.ipynb")),
    ("jean.dupont@univ.fr/03_relu.ipynb", ("jean.dupont@univ.fr", "03_relu.ipynb")),
    ("Alice Martin_123456_assignsubmission_file_/03_relu.ipynb", ("123456", "03_relu.ipynb")),
    ("Alice Martin_123456_assignsubmission_file_03_relu.ipynb", ("123456", "03_relu.ipynb")),
    ("Élodie Le Gall_77_assignsubmission_file_/work/03_relu (1).ipynb", ("77", "03_relu (1).ipynb")),
    ("martinalice_4242_987654_03_relu.ipynb", ("4242", "03_relu.ipynb")),
    ("martinalice_late_4242_987654_03_relu-1.ipynb", ("4242", "03_relu-1.ipynb")),
    ("03_relu.ipynb", None),                      # no student
    ("alice/extra/03_relu.ipynb", None),          # too deep for one folder per student
])
def test_default_patterns(rel, expected):
    assert read(rel) == expected


def test_unpack_unwraps_a_zipped_folder_and_refuses_paths_outside(tmp_path):
    wrapped = tmp_path / "wrapped.zip"
    with zipfile.ZipFile(wrapped, "w") as z:
        z.writestr("Devoir 3/alice/03_relu.ipynb", "{}")
        z.writestr("Devoir 3/bob/03_relu.ipynb", "{}")
    collect.unpack(wrapped, tmp_path / "a")
    assert sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*.ipynb")) == [
        "alice/03_relu.ipynb", "bob/03_relu.ipynb"]
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../../outside.ipynb", "{}")
    with pytest.raises(ValueError, match="outside"):
        collect.unpack(evil, tmp_path / "b")
    (tmp_path / "not.zip").write_text("hello")
    with pytest.raises(ValueError, match="neither a folder nor a zip"):
        collect.unpack(tmp_path / "not.zip", tmp_path / "c")
