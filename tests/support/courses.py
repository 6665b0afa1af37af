"""The assignments the tests run on: every assignment of the course's source/ (found automatically), plus a tiny
fixture assignment under tests/fixture_course that exercises the machinery itself; and temporary courses made of
copies of that fixture (``make_course``; tests get them from the ``new_course`` fixture of tests/conftest.py)."""
from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import cells, coursedir

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "nbgrader_config.py"
FIXTURE_ROOT = REPO / "tests" / "fixture_course"
FIXTURE = "00_fixture"   # its tests: double_values (2 points), answer_value (1 point); its written answer why_double


@dataclass(frozen=True)
class Assignment:
    root: Path
    name: str
    variants: Path  # tests/variants/<assignment>/<function>/{wrong,right}_*.py

    @property
    def source_path(self) -> Path:
        return coursedir.source_notebook(self.root, self.name)

    @property
    def release_path(self) -> Path:
        return coursedir.release_notebook(self.root, self.name)

    def source(self):
        return nbformat.read(self.source_path, as_version=4)

    def release(self, language: str = "en"):
        """The released notebook, in the edition of ``language`` ("fr": release/<a>/<a>.fr.ipynb)."""
        from autograder import translate
        return nbformat.read(self.release_path.with_name(translate.edition_file(self.name, language)), as_version=4)

    def __str__(self) -> str:
        return self.name


ASSIGNMENTS = [Assignment(REPO, name, REPO / "tests" / "variants" / name) for name in coursedir.assignments(REPO)]
ASSIGNMENTS.append(Assignment(FIXTURE_ROOT, FIXTURE, FIXTURE_ROOT / "variants" / FIXTURE))


def make_course(root: Path, assignments: Iterable[str] = (FIXTURE,)) -> Path:
    """A course at ``root``: the course's nbgrader_config.py, and for each name of ``assignments`` a copy of the
    fixture assignment (its source/ and release/ notebooks) under that name; nothing submitted."""
    (root / "source").mkdir(parents=True)
    shutil.copy2(CONFIG, root / "nbgrader_config.py")
    for name in assignments:
        for kind in ("source", "release"):
            (root / kind / name).mkdir(parents=True)
            shutil.copy2(FIXTURE_ROOT / kind / FIXTURE / f"{FIXTURE}.ipynb", root / kind / name / f"{name}.ipynb")
    return root


def filled(root: Path, assignment: str, replaced: dict):
    """The release notebook of ``assignment`` with the cells named in ``replaced`` (grade_id -> new source)
    replaced, or deleted where the new source is None."""
    nb = nbformat.read(root / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    kept = []
    for cell in nb.cells:
        grade_id = cells.grade_id(cell)
        if grade_id in replaced:
            if replaced[grade_id] is None:
                continue
            cell.source = replaced[grade_id]
        kept.append(cell)
    nb.cells = kept
    return nb
