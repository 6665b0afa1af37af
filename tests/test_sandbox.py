"""The sandbox (autograder/sandbox.py). Without bubblewrap, or with one that cannot run here, ``auto`` falls back to
rlimits, says so loudly, and still grades; ``bwrap`` refuses to run. Wherever the environment installs the ``course``
package (editable from another clone, a folder on its path), the sandbox binds the one the kernels import; when the
kernels' environment is broken (no course, an import failing inside bubblewrap) grading is refused, never run
unsandboxed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from autograder import grade, sandbox, settings
from support import courses
from support.courses import FIXTURE, REPO
from support.grading import bwrap_problem
from support.hostile import CASES, SOLVED_ANSWER, SOLVED_DOUBLE, submit


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


def test_auto_falls_back_when_bubblewrap_is_installed_but_cannot_run(tmp_path, monkeypatch):
    """A bwrap that refuses to make namespaces (a locked-down distribution, a container): auto falls back, and says
    that bubblewrap is installed but cannot run (not "install bubblewrap"); --sandbox bwrap refuses."""
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    said: list[str] = []
    launcher = sandbox.resolve(settings.load(REPO, mode="auto")[1], tmp_path, log=said.append)
    assert launcher.mode == sandbox.Mode.RLIMITS
    text = "\n".join(said)
    assert "NOT SANDBOXED. bubblewrap failed (exit 1): bwrap: No permissions to create new namespace" in text
    assert "bubblewrap is installed but cannot run here" in text and "apt-get install" not in text
    with pytest.raises(RuntimeError, match="--sandbox bwrap: bubblewrap failed"):
        sandbox.resolve(settings.load(REPO, mode="bwrap")[1], tmp_path, log=said.append)


# -- the course package the kernels import, wherever it is installed ------------------------------------------------
# The probe cell of a submission: which `course` its kernel imported, and whether the checkout it is graded from is
# visible.
WHERE = "import os, course\nprint('COURSE', course.__file__)\nprint('CHECKOUT', os.path.exists({checkout!r}))\n"


@pytest.fixture
def checkout(new_course, tmp_path):
    """A course folder as a clone of the repository has it (its own course/ and autograder/ beside source/), with
    one submission: the solutions, its answer cell printing which `course` the kernel imported."""
    problem = bwrap_problem(tmp_path)
    if problem:
        pytest.skip(f"needs bubblewrap: {problem}")
    root = new_course("checkout")
    for package in ("course", "autograder"):
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    probe = WHERE.format(checkout=str(root / "course"))
    nbformat.write(courses.filled(root, FIXTURE, {"double": SOLVED_DOUBLE, "answer": probe + SOLVED_ANSWER}),
                   _folder(root, "alice") / f"{FIXTURE}.ipynb")
    return root


def _folder(root: Path, student: str) -> Path:
    folder = root / "submitted" / student / FIXTURE
    folder.mkdir(parents=True)
    return folder


def environment(at: Path, paths: dict[str, Path]) -> Path:
    """A copy of this virtual environment at ``at`` (its files hard links: never written to, only added to or
    unlinked) without the editable install of this repository, each folder of ``paths`` (.pth name -> folder) on
    its path instead; returns its python."""
    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:   # another file system
            shutil.copy2(src, dst)
    shutil.copytree(sys.prefix, at, symlinks=True, copy_function=link)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(at)}))
    for hook in site.glob("__editable__*"):
        hook.unlink()
    for name, folder in paths.items():
        (site / f"{name}.pth").write_text(f"{folder}\n")
    return at / "bin" / "python"


def _packages(tmp_path: Path, label: str, *, course: bool = True) -> Path:
    """A site-packages-like folder holding the autograder (a link to this checkout's) and, with ``course``, a copy
    of the course package: what a non-editable install elsewhere on the path provides."""
    folder = tmp_path / label
    folder.mkdir()
    (folder / "autograder").symlink_to(REPO / "autograder")
    if course:
        shutil.copytree(REPO / "course", folder / "course", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def grade_cli(python: Path, root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "autograder", "grade", "--sandbox", "auto", *args], cwd=root,
                          capture_output=True, text=True, timeout=600)


def _printed(root: Path, student: str) -> str:
    nb = nbformat.read(root / "autograded" / student / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)
    return json.dumps([c.get("outputs", []) for c in nb.cells])


def _sandboxed_and_graded(done: subprocess.CompletedProcess, root: Path) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    assert "NOT SANDBOXED" not in done.stderr and "sandbox: bwrap" in done.stdout, done.stdout + done.stderr
    result = json.loads((root / "autograded" / "alice" / FIXTURE / "autograder.json").read_text())
    assert result["reason"] is None and result["flags"] == []
    assert {k: v for nb in result["notebooks"] for k, v in nb["scores"].items()} == {
        "double_values": 2.0, "answer_value": 1.0, "why_double": 0.0}


def test_grading_from_a_checkout_that_is_not_the_installed_one(checkout):
    """The environment was installed (editable) from another clone, this repository: the kernel imports that
    clone's course, which the sandbox must bind. It used to bind the checkout's own course/ (the one the grader
    finds from the folder it runs in) and fall back to "NOT SANDBOXED ... No module named 'course'"."""
    done = grade_cli(Path(sys.executable), checkout)
    _sandboxed_and_graded(done, checkout)
    printed = _printed(checkout, "alice")
    assert f"COURSE {REPO / 'course' / '__init__.py'}" in printed and "CHECKOUT False" in printed, printed


def test_grading_with_the_course_installed_in_a_folder_on_the_kernels_path(checkout, tmp_path):
    """The course package copied into a site-packages-like folder outside the environment, on its path (a
    non-editable install, a shared environment): that copy is the one bound and imported."""
    packages = _packages(tmp_path, "site-like")
    python = environment(tmp_path / "venv", {"packages": packages})
    done = grade_cli(python, checkout)
    _sandboxed_and_graded(done, checkout)
    printed = _printed(checkout, "alice")
    assert f"COURSE {packages / 'course' / '__init__.py'}" in printed and "CHECKOUT False" in printed, printed


def test_an_environment_without_the_course_is_an_error_not_a_fallback(checkout, tmp_path):
    """The kernels' Python cannot import course at all (the grader finds the checkout's from the folder it runs
    in; kernels do not): every notebook would fail, in any mode. Refused, with what to install and where."""
    python = environment(tmp_path / "venv", {"packages": _packages(tmp_path, "site-like", course=False)})
    done = grade_cli(python, checkout)
    assert done.returncode == 2, done.stdout + done.stderr
    venv = tmp_path / "venv"
    assert done.stderr.strip() == (
        f"error: the kernels' Python ({venv / 'bin' / 'python'}) cannot import course: the environment {venv} does "
        f"not install it (this grader imports course from {checkout / 'course'}, found from the folder it runs in or "
        f"PYTHONPATH, which kernels do not see). Install the course (and what it needs) into that environment: "
        f"{venv / 'bin' / 'pip'} install -e <the course folder>")
    assert not (checkout / "autograded").exists()


def test_an_import_that_fails_inside_bubblewrap_is_an_error_not_a_fallback(checkout, tmp_path):
    """bubblewrap runs, but the course package needs a module from a folder the sandbox does not bind: kernels
    would fail inside it. auto used to fall back to rlimits for that; it is an error saying what failed."""
    packages = _packages(tmp_path, "site-like")
    with open(packages / "course" / "__init__.py", "a") as init:
        init.write("import course_helper  # noqa\n")
    helper = tmp_path / "elsewhere"
    helper.mkdir()
    (helper / "course_helper.py").write_text("HELPS = True\n")
    python = environment(tmp_path / "venv", {"packages": packages, "zz_elsewhere": helper})
    done = grade_cli(python, checkout)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "NOT SANDBOXED" not in done.stderr
    assert "error: bubblewrap runs, but the kernels' Python cannot import ipykernel, numpy, course inside it" \
        in done.stderr and "No module named 'course_helper'" in done.stderr, done.stderr
    assert f"course from {packages / 'course'}" in done.stderr
    assert not (checkout / "autograded").exists()


def test_a_kernel_import_outside_the_environment_is_named(checkout, tmp_path):
    """numpy found by the kernels' Python outside the environment (a folder on its path): the sandbox binds the
    environment, not that folder; refused before any kernel starts, naming the module and where it is."""
    python = environment(tmp_path / "venv", {"packages": _packages(tmp_path, "site-like")})
    site = Path(sysconfig.get_path("purelib", vars={"base": str(tmp_path / "venv")}))
    shared = tmp_path / "shared"
    shared.mkdir()
    (site / "numpy").rename(shared / "numpy")   # moves the copy's folder of links, not this environment's
    (site / "zz_shared.pth").write_text(f"{shared}\n")
    done = grade_cli(python, checkout)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"error: the kernels' Python imports numpy from {shared / 'numpy'}: outside what the sandbox binds" \
        in done.stderr, done.stderr
