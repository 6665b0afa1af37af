"""The assignments the pipeline tests run on: every assignment of the course's source/ (found automatically),
plus a tiny fixture assignment under tests/fixture_course that exercises the machinery itself."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import coursedir

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "nbgrader_config.py"
FIXTURE_ROOT = REPO / "tests" / "fixture_course"


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

    def release(self):
        return nbformat.read(self.release_path, as_version=4)

    def __str__(self) -> str:
        return self.name


ASSIGNMENTS = [Assignment(REPO, name, REPO / "tests" / "variants" / name) for name in coursedir.assignments(REPO)]
ASSIGNMENTS.append(Assignment(FIXTURE_ROOT, "00_fixture", FIXTURE_ROOT / "variants" / "00_fixture"))
