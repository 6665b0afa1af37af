"""Fixtures shared by the test modules. The helpers themselves live in tests/support/ (this folder is on
``sys.path``: pytest puts it there, as the folder of this conftest and of test modules that are no package)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import autograder  # noqa: F401  (first: before anything imports nbformat, see autograder/__init__.py)
import pytest

from support import courses


@pytest.fixture(scope="session")
def new_course(tmp_path_factory) -> Callable[..., Path]:
    """The course factory: ``new_course(label, assignments)`` makes a course (``courses.make_course``: the
    fixture assignment, or one copy of it under each name of ``assignments``) in a new temporary folder named
    after ``label``, and returns its root. Session-scoped, so module fixtures that grade a class can use it."""
    def make(label: str = "course", assignments: Iterable[str] = (courses.FIXTURE,)) -> Path:
        return courses.make_course(tmp_path_factory.mktemp(label) / "course", assignments)
    return make
