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


def test_a_section_under_its_old_name_is_refused_with_the_new_one(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Sandbox.memory_mb = 512\n")
    with pytest.raises(ValueError, match=r"c\.Sandbox\.memory_mb: the section is now c\.Isolation"):
        settings.load(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Isolation.memory_mb = 512\n")
    assert settings.load(tmp_path)[1].memory_mb == 512


def test_the_command_line_says_so_and_exits_non_zero(tmp_path):
    import subprocess
    import sys
    (tmp_path / "source").mkdir()
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Sandbox.mode = 'none'\n")
    done = subprocess.run([sys.executable, "-m", "autograder", "grade"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode != 0
    assert "c.Sandbox.mode: the section is now c.Isolation" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
