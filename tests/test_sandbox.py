"""The sandbox (autograder/sandbox.py) without bubblewrap: ``auto`` falls back to rlimits, says so loudly, and still
grades; ``bwrap`` refuses to run."""
from __future__ import annotations

import pytest

from autograder import grade, sandbox
from support.hostile import CASES, submit


@pytest.mark.slow
def test_auto_falls_back_to_rlimits_loudly_and_still_grades(new_course, monkeypatch, capsys):
    real_which = sandbox.shutil.which
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None if name == "bwrap" else real_which(name))
    root = new_course()
    for case in CASES:
        if case.name in ("honest_solutions", "honest_wrong", "os_exit"):
            submit(root, case.name, case, {})
    run = grade.grade(root, workers=2, sandbox_mode="auto", cell_timeout=5)
    err = capsys.readouterr().err
    assert "NOT SANDBOXED" in err and "bubblewrap (bwrap) is not installed" in err
    assert run.mode == "rlimits"
    scores = {o.student: o.score for o in run.outcomes}
    assert scores == {"honest_solutions": 3, "honest_wrong": 1, "os_exit": 2}
    with pytest.raises(RuntimeError, match="--sandbox bwrap"):
        grade.grade(root, sandbox_mode="bwrap", quiet=True, force=True)
