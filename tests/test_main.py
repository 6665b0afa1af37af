"""The command line (``python -m autograder``, autograder/__main__.py) with names that are none: a mistyped
assignment or student stops every command that takes one with exit 2 and the names there are, instead of a run
that does nothing and succeeds ("grading 0 submission(s)", exit 0)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.__main__ import main
from support import classroom, courses
from support.courses import FIXTURE

pytestmark = pytest.mark.slow

FIRST, SECOND = classroom.FIRST, classroom.SECOND
KNOWN = f"source/ has {FIRST}, {SECOND}"


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=root, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def course(new_course):
    """alice hands in both assignments, bob the first; the first is graded."""
    root = new_course("names", [FIRST, SECOND])
    for student, assignments in {"alice": (FIRST, SECOND), "bob": (FIRST,)}.items():
        for assignment in assignments:
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(courses.filled(root, assignment, classroom.SOLVED), folder / f"{assignment}.ipynb")
    graded = run(root, "grade", FIRST, "--sandbox", "none")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    return root


def in_process(root: Path, monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """``main(args)`` run in the course folder, as the command line calls it: its exit status and stderr."""
    monkeypatch.chdir(root)
    status = main(list(args))
    return status, capsys.readouterr().err


def test_a_mistyped_assignment_to_grade_exits_2_and_names_those_there_are(course):
    """The issue's case, through the command line: it used to exit 0 with "grading 0 submission(s)"."""
    done = run(course, "grade", "91_absent")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip() == f"error: unknown assignment 91_absent: {KNOWN}"
    assert not (course / "autograded" / "alice" / SECOND).exists()


@pytest.mark.parametrize("args", [
    ["grade", FIRST, "91_absent", "--student", "alice"], ["feedback", "91_absent"], ["export", "91_absent"],
    ["report", "91_absent"], ["release", "91_absent"], ["collect", "91_absent"], ["similarity", "91_absent"],
    ["collect", "91_absent", "download.zip"], ["answers", "91_absent"],
], ids=lambda args: "-".join(args))
def test_every_command_refuses_an_unknown_assignment_alike(course, args, monkeypatch, capsys):
    status, err = in_process(course, monkeypatch, capsys, *args)
    assert status == 2 and f"error: unknown assignment 91_absent: {KNOWN}" in err, err
    assert not (course / "exports" / "91_absent.csv").exists() and not (course / "reports" / "91_absent.html").exists()
    assert not list(course.glob("*/*/91_absent")) and not (course / "release" / "91_absent").exists()
    assert not (course / "answers").exists()


def test_a_near_miss_is_guessed(course, monkeypatch, capsys):
    status, err = in_process(course, monkeypatch, capsys, "grade", "00_fixtur")
    assert status == 2 and f"unknown assignment 00_fixtur (did you mean {FIRST}?)" in err, err


def test_bench_refuses_an_unknown_assignment(course, monkeypatch, capsys):
    status, err = in_process(course, monkeypatch, capsys, "bench", "--students", "1", "--assignments", "91_absent")
    assert status == 2 and "unknown assignment 91_absent" in err and f"has {FIRST}, {SECOND}" in err, err


@pytest.mark.parametrize("command, where", [("grade", "submitted/"), ("feedback", "the gradebook")])
def test_an_unknown_student_stops_the_command_and_names_those_there_are(course, command, where):
    done = run(course, command, FIRST, "--student", "alice", "--student", "carol")
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"error: unknown student carol: {where} has alice, bob" in done.stderr


def test_a_student_who_handed_in_none_of_the_assignments_is_refused(course):
    done = run(course, "grade", SECOND, "--student", "bob")
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"error: nothing to grade: bob handed in {FIRST}, not {SECOND}" in done.stderr


def test_an_assignment_never_graded(course, monkeypatch, capsys):
    """In source/ but never graded: export and report have nothing to write, feedback nothing to show; each says
    so and fails."""
    for command in ("export", "report"):
        status, err = in_process(course, monkeypatch, capsys, command, SECOND)
        assert status == 2, err
        assert err.strip() == (f"error: never graded: {SECOND} (the gradebook has {FIRST}); run "
                               f"`python -m autograder grade {SECOND}` first")
    done = run(course, "feedback", SECOND)
    assert done.returncode == 1 and f"{SECOND}: nothing graded yet" in done.stdout, done.stdout + done.stderr


def test_names_that_exist_still_work(course):
    done = run(course, "feedback", FIRST, "--student", "alice")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (course / "feedback" / "alice" / FIRST / f"{FIRST}.html").is_file()
    done = run(course, "grade", FIRST, "--student", "bob", "--sandbox", "none")
    assert done.returncode == 0 and "1 unchanged and skipped" in done.stdout, done.stdout + done.stderr


def test_a_mistyped_setting_is_warned_about_with_the_name_it_meant(new_course, capsys, monkeypatch):
    """traitlets ignores a setting no class has, and a whole misspelled section without a word: every command
    warns, as nbgrader's own commands do (and for the section too), and goes on. The course's own file has none."""
    root = new_course("typo")
    monkeypatch.chdir(root)
    main(["export", "--out", str(root / "exports")])   # nothing graded: only the warnings matter here
    assert "warning: nbgrader_config.py" not in capsys.readouterr().err
    with (root / "nbgrader_config.py").open("a") as config:
        config.write('\nc.CourseDirectory.student_id_exlude = "testprof"\n'
                     'c.LateSubmisionPlugin.penalty_method = "zero"\nc.Grading.cell_timout = 30\n')
    main(["export", "--out", str(root / "exports")])
    said = capsys.readouterr().err
    assert ("warning: nbgrader_config.py: c.CourseDirectory.student_id_exlude is not a setting of CourseDirectory, "
            "and is ignored: did you mean c.CourseDirectory.student_id_exclude") in said
    assert "c.LateSubmisionPlugin is not a section any command reads: did you mean c.LateSubmissionPlugin?" in said
    assert ("c.Grading.cell_timout is not a setting of Grading, and is ignored: did you mean "
            "c.Grading.cell_timeout?") in said


def test_commands_run_from_the_venvs_python_without_the_venv_on_path(new_course):
    """`.venv/bin/python -m autograder ...` from a shell where the virtual environment is not activated: nbgrader
    starts `alembic` from PATH when it creates a gradebook (release's generate_assignment, export's gradebook).
    `release` used to end in a 30-line traceback, "FileNotFoundError: ... 'alembic'"."""
    root = new_course("no-venv-on-path")
    venv_bin = Path(sys.executable).parent.resolve()
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and Path(p).resolve() != venv_bin and not shutil.which("alembic", path=p))
    assert shutil.which("alembic", path=path) is None
    said = {}
    for args in (["release", FIXTURE], ["export"]):
        done = subprocess.run([sys.executable, "-m", "autograder", *args], cwd=root, capture_output=True, text=True,
                              env={**os.environ, "PATH": path}, timeout=300)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stdout + done.stderr)
        said[args[0]] = done.stdout
    assert f"released {FIXTURE} -> release/{FIXTURE}/" in said["release"]
    assert "exports/term.csv: 0 students, 0 assignments" in said["export"]
