"""Grading settings (autograder/settings.py): read from nbgrader_config.py, keyword overrides win."""
from __future__ import annotations

import pytest

from autograder import settings
from support.courses import REPO


def test_settings_come_from_nbgrader_config_and_overrides_win():
    grading, box = settings.load(REPO)
    assert grading.cell_timeout == 120 and box.memory_mb == 2048 and box.mode == "auto"
    grading, box = settings.load(REPO, cell_timeout=5, mode="none", workers=None)
    assert grading.cell_timeout == 5 and box.mode == "none" and grading.workers == 0
    with pytest.raises(TypeError, match="unknown grading setting"):
        settings.load(REPO, cell_timout=5)
