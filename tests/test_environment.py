"""The set-up files agree with each other and with the README."""
from __future__ import annotations

import re
import tomllib

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
