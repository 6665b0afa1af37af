"""release/ is exactly what nbgrader generates from source/ now, and no secret line reaches it."""
from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder import release
from support.courses import ASSIGNMENTS, CONFIG, FIXTURE_ROOT


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_release_is_fresh(assignment):
    stale = release.stale_files(assignment.root, assignment.name, CONFIG)
    assert not stale, (f"release/{assignment.name} is stale ({'; '.join(stale)}): {release.REGENERATE_HINT}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_no_secret_line_in_release(assignment):
    leaks = release.find_leaks(assignment.root, assignment.name)
    assert not leaks, "secret lines reached the release:\n" + "\n".join(map(str, leaks))


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_release_shows_stubs(assignment):
    """Every solution cell of the release shows nbgrader's stub; no hidden-test delimiter is left."""
    for cell in assignment.release().cells:
        text = cell.source
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            assert "raise NotImplementedError()" in text, f"{cell.id}: no stub in the release"


# --- the machinery itself, on a copy of the fixture course -------------------------------------------------

@pytest.fixture
def fixture_copy(tmp_path):
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_ROOT, root)
    shutil.copy2(CONFIG, root / "nbgrader_config.py")
    return root


def test_leak_detector_names_file_and_line(fixture_copy):
    nb_path = fixture_copy / "release" / "00_fixture" / "00_fixture.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[-1].source += "\n_x = np.random.default_rng(1).normal(size=(3, 4))"  # a hidden-test line
    nbformat.write(nb, nb_path)
    leaks = release.find_leaks(fixture_copy, "00_fixture")
    assert [leak.text.strip() for leak in leaks] == ["_x = np.random.default_rng(1).normal(size=(3, 4))"]
    assert str(leaks[0]).startswith("release/00_fixture/00_fixture.ipynb:")


def test_leak_detector_ignores_lines_the_source_shows(fixture_copy):
    """'import numpy as np' may be both in a hidden block and in the visible setup: not a leak."""
    assert release.find_leaks(fixture_copy, "00_fixture") == []


@pytest.mark.slow
def test_stale_release_is_detected(fixture_copy):
    nb_path = fixture_copy / "source" / "00_fixture" / "00_fixture.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[0].source += "\n\nA sentence added to the source after the last release."
    nbformat.write(nb, nb_path)
    assert release.stale_files(fixture_copy, "00_fixture") == ["release/00_fixture/00_fixture.fr.ipynb differs",
                                                               "release/00_fixture/00_fixture.ipynb differs"]
    (fixture_copy / "source" / "00_fixture" / "data.csv").write_text("x\n1\n")
    assert "release/00_fixture/data.csv is missing" in release.stale_files(fixture_copy, "00_fixture")


@pytest.mark.slow
def test_release_command_refuses_a_leaking_release(fixture_copy):
    """A solution file left beside the source notebook is copied by nbgrader: the release is refused."""
    (fixture_copy / "source" / "00_fixture" / "notes.py").write_text("def double(x):\n    return 2 * x\n")
    done = subprocess.run([sys.executable, "-m", "autograder", "release"], cwd=fixture_copy,
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "REFUSED 00_fixture" in done.stdout
    assert "release/00_fixture/notes.py:2: return 2 * x" in done.stdout


@pytest.mark.slow
def test_release_command_regenerates(fixture_copy):
    shutil.rmtree(fixture_copy / "release")
    done = subprocess.run([sys.executable, "-m", "autograder", "release", "00_fixture"], cwd=fixture_copy,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert release.stale_files(fixture_copy, "00_fixture") == []
    unknown = subprocess.run([sys.executable, "-m", "autograder", "release", "99_nothing"], cwd=fixture_copy,
                             capture_output=True, text=True)
    assert unknown.returncode == 2 and "unknown assignment 99_nothing" in unknown.stderr, unknown.stderr


def test_workcopy_never_overwrites_student_work(fixture_copy, tmp_path):
    work = tmp_path / "work"
    run = lambda: subprocess.run([sys.executable, "-m", "autograder", "workcopy", str(work)],  # noqa: E731
                                 cwd=fixture_copy, capture_output=True, text=True, check=True)
    assert "copied release/00_fixture" in run().stdout
    mine = work / "00_fixture" / "00_fixture.ipynb"
    mine.write_text("my work")
    assert "kept your work" in run().stdout
    assert mine.read_text() == "my work"
    assert (fixture_copy / "release" / "00_fixture" / "00_fixture.ipynb").read_text() != "my work"


@pytest.mark.slow
def test_release_zip_holds_both_editions_for_an_lms(fixture_copy):
    """`release --zip`: the students' download for an LMS, the English and the French edition in the assignment's
    folder; a leaking release writes none."""
    import zipfile

    done = subprocess.run([sys.executable, "-m", "autograder", "release", "00_fixture", "--zip"], cwd=fixture_copy,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "wrote lms/00_fixture.zip: release/00_fixture/ (both editions) for an LMS" in done.stdout
    with zipfile.ZipFile(fixture_copy / "lms" / "00_fixture.zip") as z:
        names = sorted(z.namelist())
        assert {"00_fixture/00_fixture.ipynb", "00_fixture/00_fixture.fr.ipynb"} <= set(names), names
        french = nbformat.reads(z.read("00_fixture/00_fixture.fr.ipynb").decode(), as_version=4)
    assert french.metadata["course"]["language"] == "fr"
    (fixture_copy / "lms" / "00_fixture.zip").unlink()
    (fixture_copy / "source" / "00_fixture" / "notes.py").write_text("def double(x):\n    return 2 * x\n")
    done = subprocess.run([sys.executable, "-m", "autograder", "release", "00_fixture", "--zip"], cwd=fixture_copy,
                          capture_output=True, text=True)
    assert done.returncode == 1 and not (fixture_copy / "lms" / "00_fixture.zip").exists()
