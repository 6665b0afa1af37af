"""Where the course, its assignments and their notebooks are.

An assignment is a folder ``source/NN_topic/`` holding ``NN_topic.ipynb`` (nbgrader's assignment name is the
folder name, and the notebook has the same name).
"""
from __future__ import annotations

import re
from pathlib import Path

ASSIGNMENT_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


def find_root(start: Path | str | None = None) -> Path:
    """The course root: the nearest folder at or above ``start`` (default: cwd) with ``nbgrader_config.py``
    and ``source/``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "source").is_dir():
            return folder
    raise FileNotFoundError(
        f"no course found at or above {here}: expected a folder with nbgrader_config.py and source/")


def assignments(root: Path | str) -> list[str]:
    """Names of the assignments in ``root/source``, in course order (by their number)."""
    source = Path(root) / "source"
    return sorted(d.name for d in source.iterdir()
                  if d.is_dir() and ASSIGNMENT_NAME.match(d.name) and (d / f"{d.name}.ipynb").is_file())


def source_notebook(root: Path | str, assignment: str) -> Path:
    return Path(root) / "source" / assignment / f"{assignment}.ipynb"


def release_notebook(root: Path | str, assignment: str) -> Path:
    return Path(root) / "release" / assignment / f"{assignment}.ipynb"
