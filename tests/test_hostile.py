"""The grading engine against the hostile corpus (tests/support/hostile.py), graded in one parallel, sandboxed
run together with honest students; then determinism, resumability and the gradebook's integrity."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder import grade, sandbox, settings
from autograder.outcome import RESULT_FILE
from support.courses import FIXTURE, REPO
from support.grading import bwrap_problem, gradebook_rows, gradebook_scores, leftover_processes
from support.hostile import CASES, CELL_TIMEOUT, submit

# One worker runs the whole module: its fixture builds (and grades) a class once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile")]
SECRET_NAME, SECRET_VALUE = "AUTOGRADER_TEST_SECRET", "s3cr3t-7d1f0c"
GRADCHECK = REPO / "course" / "gradcheck.py"


def outputs_text(nb) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells])


@pytest.fixture(scope="session")
def graded(tmp_path_factory, new_course):
    problem = bwrap_problem(tmp_path_factory.mktemp("probe"))
    if problem:
        pytest.skip(f"the hostile corpus needs bubblewrap: {problem} (.ci/run installs it)")
    root = new_course("hostile")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    fill = {"course": root, "port": listener.getsockname()[1], "secret_name": SECRET_NAME}
    for case in CASES:
        submit(root, case.name, case, fill)
    gradcheck_before = hashlib.sha256(GRADCHECK.read_bytes()).hexdigest()
    os.environ[SECRET_NAME] = SECRET_VALUE
    try:
        run = grade.grade(root, workers=2, sandbox_mode="bwrap", cell_timeout=CELL_TIMEOUT, notebook_timeout=60)
    finally:
        del os.environ[SECRET_NAME]
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    _, sb = settings.load(root)
    launcher = sandbox.Launcher(sb, "bwrap")
    return {"root": root, "run": run, "connected": connected, "gradcheck_before": gradcheck_before,
            "leftovers": leftover_processes(os.getpid(), range(launcher.uid(0), launcher.uid(0) + 2))}


def test_every_submission_has_a_row_and_no_grader_error(graded):
    run = graded["run"]
    assert sorted(o.student for o in run.outcomes) == sorted(c.name for c in CASES)
    assert [o.error for o in run.outcomes if o.error] == []
    assert run.problems == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case_outcome(graded, case):
    root = graded["root"]
    outcome = next(o for o in graded["run"].outcomes if o.student == case.name)
    assert gradebook_scores(root)[case.name] == case.score, (outcome.reason, outcome.flags, outcome.notebooks)
    if case.flag:
        assert any(case.flag in f for f in outcome.flags), outcome.flags
    elif case.name.startswith("honest"):
        assert outcome.flags == [] and outcome.reason == case.reason and outcome.notes == []
    if case.reason:
        assert outcome.reason and case.reason in outcome.reason, outcome.reason
    if case.note:
        assert any(case.note in n for n in outcome.notes), outcome.notes
    folder = root / "autograded" / case.name / FIXTURE
    graded_nb = nbformat.read(folder / f"{FIXTURE}.ipynb", as_version=4)
    if case.output:
        assert case.output in outputs_text(graded_nb)
    if outcome.reason or outcome.notes:   # the student sees why, at the top of the graded notebook
        banner = graded_nb.cells[0].source
        assert (outcome.reason or outcome.notes[0])[:40] in banner
    stored = json.loads((folder / RESULT_FILE).read_text())
    assert stored["reason"] == outcome.reason and stored["flags"] == outcome.flags


def test_nothing_secret_reached_any_output(graded):
    """What the student's code printed holds no line of the source notebook, no byte of the gradebook and no
    secret of the grader's environment. (A failing test's own traceback, in the test cell's output, shows
    hidden lines to the teacher; feedback for the student leaves them out.)"""
    root = graded["root"]
    never = ["SQLite format 3", SECRET_VALUE, "BEGIN SOLUTION"]
    hidden = ["BEGIN HIDDEN TESTS", "_x + _x", "answer == 6 * 7"]
    for path in (root / "autograded").rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert not [h for h in never if h in outputs_text(nb)], path
        student = nbformat.v4.new_notebook()
        student.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("locked")]
        assert not [h for h in hidden if h in outputs_text(student)], path


def test_the_gradebook_holds_only_what_grading_wrote(graded):
    rows = gradebook_rows(graded["root"])
    assert not [r for r in rows if r[2] not in (None, 0.0, 1.0, 2.0)], rows
    assert gradebook_scores(graded["root"]) == {c.name: c.score for c in CASES}


def test_the_course_and_the_network_were_out_of_reach(graded):
    assert hashlib.sha256(GRADCHECK.read_bytes()).hexdigest() == graded["gradcheck_before"]
    assert not graded["connected"], "a kernel reached a port on 127.0.0.1"


def test_no_process_is_left_and_the_run_is_bounded(graded):
    assert graded["leftovers"] == []
    # every cell stops within CELL_TIMEOUT; a hang would not (a loose bound: the machine may be busy)
    assert graded["run"].seconds < 20 * CELL_TIMEOUT, graded["run"].seconds


def test_regrading_is_skipped_then_forced_and_gives_the_same_scores(graded):
    root = graded["root"]
    before = gradebook_rows(root)
    again = grade.grade(root, workers=1, sandbox_mode="bwrap", cell_timeout=CELL_TIMEOUT, notebook_timeout=60,
                        quiet=True, students=["honest_solutions", "honest_wrong", "input_transformer"])
    assert again.outcomes == [] and len(again.skipped) == 3
    forced = grade.grade(root, workers=1, sandbox_mode="bwrap", cell_timeout=CELL_TIMEOUT, notebook_timeout=60,
                         quiet=True, students=["honest_solutions", "honest_wrong", "input_transformer"], force=True)
    assert len(forced.outcomes) == 3 and forced.ok
    assert gradebook_rows(root) == before


def test_a_run_killed_half_way_resumes_to_the_gradebook_of_a_clean_run(tmp_path, new_course):
    if bwrap_problem(tmp_path):
        pytest.skip("needs bubblewrap")
    students = {f"s{i:02d}": (i % 3) for i in range(10)}
    roots = {}
    for label in ("clean", "killed"):
        root = new_course(label)
        for student, kind in students.items():
            case = [c for c in CASES if c.name in ("honest_solutions", "honest_blank", "honest_wrong")][kind]
            submit(root, student, case, {})
        roots[label] = root
    grade.grade(roots["clean"], workers=2, sandbox_mode="bwrap", quiet=True)

    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", "--workers", "2"], cwd=roots["killed"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = list((roots["killed"] / "autograded").glob(f"*/{FIXTURE}/{RESULT_FILE}"))
        if len(done) >= 3:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 3 <= len(done) < len(students), "the run finished before it could be killed"
    # bubblewrap's --die-with-parent ends its kernels when the grader dies: at once, but on a loaded machine
    # their exit can take longer than the half second this waited before (seen once in CI)
    deadline = time.monotonic() + 15
    while (left := leftover_processes(proc.pid, range(0))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == []
    resumed = grade.grade(roots["killed"], workers=2, sandbox_mode="bwrap", quiet=True)
    assert resumed.ok and len(resumed.skipped) >= 3
    assert gradebook_rows(roots["killed"]) == gradebook_rows(roots["clean"])
