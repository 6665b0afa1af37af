"""The set-up files agree with each other and with the README."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml

from support.courses import REPO


def _requirements():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return project, {re.split(r"[<>=!~ ]", d)[0].lower(): d.replace(" ", "") for d in project["dependencies"]}


# PyPI name -> conda-forge name, where they differ (psycopg2-binary is PyPI's wheel with libpq inside).
CONDA_NAMES = {"psycopg2-binary": "psycopg2"}


def test_environment_yml_matches_pyproject():
    project, deps = _requirements()
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_deps = {re.split(r"[<>=!~ ]", d)[0].lower(): d.replace(" ", "") for d in conda}
    for pypi, forge in CONDA_NAMES.items():   # the same package under conda-forge's name
        if forge in conda_deps:
            conda_deps[pypi] = conda_deps.pop(forge).replace(forge, pypi, 1)
    python = conda_deps.pop("python")
    conda_deps.pop("pip")
    for d in pip:       # a package published on PyPI only is installed by the pip section
        name = re.split(r"[<>=!~ \[]", d.strip())[0].lower()
        if name and not name.startswith(("-", ".")):
            conda_deps[name] = d.replace(" ", "").lower()
    deps = {name: d.lower() if name in {re.split(r"[<>=!~ ]", p)[0].lower() for p in pip} else d
            for name, d in deps.items()}
    assert conda_deps == deps, "environment.yml and pyproject.toml list different runtime dependencies or bounds"
    assert project["requires-python"] == ">=3.11" and python == "python=3.11"
    assert any(re.fullmatch(r"(-e\s+)?\.(\[test\])?", p.strip()) for p in pip), "the pip section installs the repo"


def test_known_good_lower_bounds():
    _, deps = _requirements()
    for pin in ("nbgrader>=0.9.6", "jupyterlab>=4.6", "ipywidgets>=8.1", "numpy>=2.0"):
        assert pin in deps.values(), pin


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text()
    head = readme[:1500]
    assert "make lab" in head and "make test" in head
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_ci_runs_make_test():
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make test\b", ci, re.M)


@pytest.mark.xdist_group("environment")
def test_xdist_groups_hold(request):
    """``make test`` runs ``--dist loadgroup`` so that the tests of an ``xdist_group`` (the modules that grade a
    class in one fixture) share one worker. pytest-xdist marks them by appending ``@group`` to their node ids;
    pytest 9.2 moved the node id and pytest-xdist 3.8 still writes the old attribute, so the groups silently
    spread over the workers and every class was graded once per worker (CI: 2024 s where 1500 were enough).
    pyproject.toml keeps pytest below 9.2 for that reason."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run with --dist loadgroup")
    assert request.node.nodeid.endswith("@environment"), (
        f"pytest-xdist's loadgroup did not group this test ({request.node.nodeid}): the installed pytest and "
        "pytest-xdist do not work together; reinstall the versions pyproject.toml asks for (make clean-venv test)")


def test_files_with_personal_data_are_git_ignored():
    """What the commands write about students is never committed: nbgrader's folders and gradebook, the exports and
    reports, an LMS download unpacked by collect (downloaded/, which the README names) and the LMS's ids and
    e-mails for export (lms_roster.csv)."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    personal = ["submitted/émilie/03_relu/03_relu.ipynb", "autograded/émilie/03_relu/autograder.json",
                "feedback/émilie/03_relu/03_relu.html", "gradebook.db", "exports/moodle.csv", "reports/term.html",
                "downloaded/03_relu/archive/Émilie Lefèvre_1234_assignsubmission_file_/03_relu.ipynb",
                "downloaded/03_relu/collect-report.jsonl", "lms_roster.csv"]
    done = subprocess.run(["git", "-c", "core.quotePath=false", "check-ignore", "--no-index", *personal], cwd=REPO,
                          capture_output=True, text=True)
    assert sorted(done.stdout.splitlines()) == sorted(personal), done.stdout + done.stderr
    assert "`downloaded/" in (REPO / "README.md").read_text()


def test_importing_nbformat_builds_no_parser():
    """Every nbgrader command, every ``python -m autograder`` command that reads a notebook and every Jupyter server
    imports nbformat, which imports jsonschema. jsonschema 4.25 and 4.26 import rfc3987-syntax with it, which builds
    Earley parsers (lark) at import: 2.2 s of each such process here. pyproject.toml keeps jsonschema below 4.25;
    when this fails after an upgrade, a release imports it again (python-jsonschema/jsonschema#1428)."""
    code = "import sys, nbformat, jsonschema; print(sorted(m for m in ('lark', 'rfc3987_syntax') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", f"importing nbformat imported {out}: see pyproject.toml's jsonschema bound"
