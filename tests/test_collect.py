"""The parts of ``python -m autograder collect`` that need no grading: how a student is read from a path inside an
LMS download, how a download is unpacked, and what the command says and exits with on a fixture course. (The whole
flow, exchange and LMS zip, runs in tests/test_term.py; the roster import is in tests/test_export.py.)"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import collect, gradebook
from autograder.__main__ import main
from autograder.collect import Collector
from support import classroom, courses

PATTERNS = Collector().patterns
FIRST, SECOND = classroom.FIRST, classroom.SECOND


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
    # ids and names of French students: accents, cedilla, diaeresis, hyphens, apostrophes
    ("émilie/03_relu.ipynb", ("émilie", "03_relu.ipynb")),
    ("françois-xavier.lefèvre/03_relu.ipynb", ("françois-xavier.lefèvre", "03_relu.ipynb")),
    ("ïsaac/03_relu.ipynb", ("ïsaac", "03_relu.ipynb")),
    ("o'brien/03_relu.ipynb", ("o'brien", "03_relu.ipynb")),
    ("d’arc_jeanne/03_relu.ipynb", ("d’arc_jeanne", "03_relu.ipynb")),
    ("Zoé Lefèvre-Dupré_88_assignsubmission_file_/03_relu.ipynb", ("88", "03_relu.ipynb")),
    ("lefèvreémilie_4243_987654_03_relu.ipynb", ("4243", "03_relu.ipynb")),
    ("o'brien-côtéjames_late_4244_987654_03_relu.ipynb", ("4244", "03_relu.ipynb")),
    ("__MACOSX/03_relu.ipynb", None),             # no folder of a student
    (".hidden/03_relu.ipynb", None),
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


class _NoUtf8Flag(zipfile.ZipInfo):
    """A member whose name is written as UTF-8 bytes without the zip's UTF-8 flag, as Windows' own zip and many
    LMS's do (Python's zipfile would set the flag)."""
    def _encodeFilenameFlags(self):
        return self.filename.encode("utf-8"), self.flag_bits


def _zip(path: Path, members: dict[str, str], flag: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, body in members.items():
            z.writestr(name if flag else _NoUtf8Flag(name), body)
    return path


def test_utf8_names_without_the_utf8_flag_are_read_as_utf8(tmp_path):
    names = ["Devoir 2/émilie/02.ipynb", "Devoir 2/françois/02.ipynb", "Devoir 2/zoë/02.ipynb"]
    download = _zip(tmp_path / "download.zip", dict.fromkeys(names, "{}"))
    with zipfile.ZipFile(download) as z:            # the case: zipfile itself reads them as CP437
        assert [m.flag_bits & 0x800 for m in z.infolist()] == [0, 0, 0]
        assert z.namelist()[0] == "Devoir 2/├⌐milie/02.ipynb"
    collect.unpack(download, tmp_path / "a")
    assert sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*.ipynb")) == [
        "françois/02.ipynb", "zoë/02.ipynb", "émilie/02.ipynb"]
    # flagged UTF-8 names, and decomposed ones (macOS writes "e" + combining acute), come out the same (NFC)
    decomposed = unicodedata.normalize("NFD", "émilie/02.ipynb")
    _zip(tmp_path / "flagged.zip", {decomposed: "{}"}, flag=True)
    collect.unpack(tmp_path / "flagged.zip", tmp_path / "b")
    # (and a zip of one student's folder is no wrapper to take off: the folder names the student)
    assert [p.relative_to(tmp_path / "b").as_posix() for p in (tmp_path / "b").rglob("*.ipynb")] == ["émilie/02.ipynb"]
    # a real CP437 name, as old DOS tools wrote (b"\\x82" is é in CP437, and no UTF-8), keeps its CP437 reading
    cp437 = _zip(tmp_path / "cp437.zip", {"renX/02.ipynb": "{}"}, flag=True)
    cp437.write_bytes(cp437.read_bytes().replace(b"renX/", b"ren\x82/"))
    collect.unpack(cp437, tmp_path / "c")
    assert [p.parent.name for p in (tmp_path / "c").rglob("*.ipynb")] == ["rené"]

def test_a_download_that_does_not_exist_says_where_it_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=re.escape(
            f"03_relu_download.zip does not exist (looked for {tmp_path.resolve() / '03_relu_download.zip'})")):
        collect.unpack(Path("03_relu_download.zip"), tmp_path / "a")


@pytest.mark.slow
def test_collect_of_an_lms_zip_through_the_command(new_course, monkeypatch, capsys):
    """The teacher's term: a Moodle-like zip written without the UTF-8 flag, ids with accents on the roster; a file
    left uncollected makes the command exit 1 and say which setting reads a student from which path; a zip of another
    assignment, and a download that is not there, say so."""
    root = new_course("accents", [FIRST, SECOND])
    with gradebook.connect(gradebook.default_url(root)) as gb:
        for student in ("émilie", "françois"):
            gb.update_or_create_student(student)
    body = nbformat.writes(courses.filled(root, SECOND, classroom.SOLVED))
    monkeypatch.chdir(root)

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        said = capsys.readouterr()
        return status, said.out, said.err

    download = _zip(root.parent / "download.zip", {f"Devoir 2 - téléchargement/{s}/{SECOND}.ipynb": body
                                                   for s in ("émilie", "françois", "zoé")})
    status, out, _ = run("collect", SECOND, str(download))
    assert status == 0, out
    assert "collected 3 student(s): françois (1 file), zoé (1 file), émilie (1 file)" in out
    assert "NOT COLLECTED" not in out
    assert (root / "submitted" / "émilie" / SECOND / f"{SECOND}.ipynb").is_file()
    assert ("warning: zoé is not on the roster (the gradebook's students): check the id its files are named with, "
            "or add the student with `python -m autograder roster`") in out
    assert "émilie is not" not in out and "françois is not" not in out

    # the French edition is the notebook, not a misnamed file; a student may hand in both editions
    download = _zip(root.parent / "french.zip", {f"zoé/{SECOND}.fr.ipynb": body, f"émilie/{SECOND}.fr.ipynb": body,
                                                 f"émilie/{SECOND}.ipynb": body})
    status, out, _ = run("collect", SECOND, str(download))
    assert status == 0, out
    assert "misnamed" not in out and "NOT COLLECTED" not in out, out
    assert "émilie (2 files)" in out
    assert (root / "submitted" / "zoé" / SECOND / f"{SECOND}.fr.ipynb").is_file()

    download = _zip(root.parent / "unmatched.zip", {f"{SECOND}.ipynb": body, f"émilie/{SECOND}.ipynb": body})
    status, out, _ = run("collect", SECOND, str(download))
    assert status == 1, out
    assert "collected 1 student(s): émilie (1 file)" in out
    assert f"  {SECOND}.ipynb: no student in its path (no pattern matched)" in out
    assert ("To collect a file whose path no pattern matched, set c.Collector.patterns in nbgrader_config.py: regular "
            "expressions with the groups student_id and file_id, matched against the whole path of the file inside "
            f"the download, as shown above (`{SECOND}.ipynb`); then collect again.") in out

    first = nbformat.writes(courses.filled(root, FIRST, classroom.SOLVED))
    download = _zip(root.parent / "first.zip", {f"émilie/{FIRST}.ipynb": first, f"françois/{FIRST}.ipynb": first})
    status, out, _ = run("collect", SECOND, str(download))
    assert status == 1, out
    assert out.splitlines()[0] == (f"collected nothing for {SECOND}: none of the notebooks in {download} is {SECOND}'s;"
                                   f" 2 notebook(s) there are {FIRST}'s (to collect them: `python -m autograder "
                                   f"collect {FIRST} {download}`)")

    kept = sorted((root / "downloaded" / SECOND).rglob("*"))
    status, _, err = run("collect", SECOND, "03_relu_download.zip")
    assert status == 2
    assert err.strip() == f"error: 03_relu_download.zip does not exist (looked for {root / '03_relu_download.zip'})"
    assert sorted((root / "downloaded" / SECOND).rglob("*")) == kept     # the last download was left as it was
