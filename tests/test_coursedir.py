"""The course object: its configuration parsed once and honoured by nbgrader's classes, its gradebook resolved
in one place, the sandbox's modes."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds, Execute,
                                    LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)
from traitlets import TraitError

from autograder import grade, settings
from autograder.coursedir import Course
from autograder.sandbox import Mode
from support.courses import CONFIG, REPO

FIRST = "01_computational_graph"


def _real_course(root: Path, extra_config: str = "") -> Path:
    """A copy of the course's first assignment (source and release) with its nbgrader_config.py, plus
    ``extra_config``."""
    (root / "source").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(CONFIG.read_text() + "\n" + extra_config)
    for folder in ("source", "release"):
        shutil.copytree(REPO / folder / FIRST, root / folder / FIRST)
    return root


def test_the_gradebook_is_resolved_once_for_every_command(tmp_path):
    root = _real_course(tmp_path / "course")
    assert Course.at(root).db_url == f"sqlite:///{root.resolve() / 'gradebook.db'}"
    assert Course.at(root, "sqlite:///elsewhere.db").db_url == "sqlite:///elsewhere.db"
    configured = _real_course(tmp_path / "configured", 'c.CourseDirectory.db_url = "sqlite:///configured.db"')
    course = Course.at(configured)
    assert course.db_url == "sqlite:///configured.db"
    assert Course.of(course) is course and Course.of(course, "sqlite:///x.db").db_url == "sqlite:///x.db"


def test_nbgrader_preprocessors_come_from_its_configurable_lists(tmp_path):
    course = Course.at(_real_course(tmp_path / "course"))
    assert [type(p) for p in course.sanitizers] == [ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                                    OverwriteCells, CheckCellMetadata]
    kept = [type(p) for p in course.after_execution]
    assert LimitOutput in kept and CheckCellMetadata in kept
    assert not {Execute, SaveAutoGrades, AssignLatePenalties} & set(kept)
    listed = "['nbgrader.preprocessors.ClearOutput', 'nbgrader.preprocessors.CheckCellMetadata']"
    trimmed = Course.at(_real_course(tmp_path / "trimmed", f"c.Autograde.sanitize_preprocessors = {listed}"))
    assert [type(p) for p in trimmed.sanitizers] == [ClearOutput, CheckCellMetadata]


def test_sandbox_modes_are_one_enum_and_errors_list_the_choices():
    assert Mode("bwrap") == "bwrap" and f"{Mode.RLIMITS}" == "rlimits"
    with pytest.raises(ValueError, match="one of auto, bwrap, none"):
        Mode.parse("rlimit", (Mode.AUTO, Mode.BWRAP, Mode.NONE))
    with pytest.raises(TraitError, match="'auto', 'bwrap', 'none'"):
        settings.load(REPO, mode="bubblewrap")


@pytest.mark.slow
def test_limit_output_is_configured_by_the_course_and_the_config_is_parsed_once(tmp_path, monkeypatch):
    """``c.LimitOutput.max_lines`` of the course's nbgrader_config.py reaches the graded notebook, and grading
    two submissions does not read that file again."""
    root = _real_course(tmp_path / "course", "c.LimitOutput.max_lines = 5")
    nb = nbformat.read(root / "release" / FIRST / f"{FIRST}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("for i in range(50):\n    print('line', i)"))
    for student in ("ada", "bob"):
        (root / "submitted" / student / FIRST).mkdir(parents=True)
        nbformat.write(nb, root / "submitted" / student / FIRST / f"{FIRST}.ipynb")
    course = Course.at(root)
    parsed = []
    real_load = settings.load_config
    monkeypatch.setattr(settings, "load_config", lambda *a: parsed.append(a) or real_load(*a))
    run = grade.grade(course, sandbox_mode="none", workers=2, quiet=True)
    assert [o.error for o in run.outcomes] == [None, None] and parsed == []
    for student in ("ada", "bob"):
        graded = nbformat.read(root / "autograded" / student / FIRST / f"{FIRST}.ipynb", as_version=4)
        printed = graded.cells[-1].outputs[0].text.split("\n")
        assert printed[0] == "line 0" and printed[-1] == "... Output truncated ..." and len(printed) == 5
