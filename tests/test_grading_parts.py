"""The grading engine's parts on their own: the tamper scan, decoys, settings, the sandbox's fallback."""
from __future__ import annotations

import ast
import os
import random
import threading

import nbformat
import pytest

import nbrun
from autograder import cells, decoys, execute, grade, sandbox, scan, settings
from courses import ASSIGNMENTS, REPO
from test_hostile import NAME, make_course, submit
from hostile.cases import CASES


def _with(nb, grade_id, source):
    return nbrun.with_cell(nb, grade_id, source)


# -- scan -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_scan_finds_nothing_in_honest_work(assignment):
    """The solutions and every right variant raise no flag (tests/test_scan_derivation.py: nor does any wrong
    variant but the cheats, wrong_numeric_* and wrong_check_disabled*, which must)."""
    source = assignment.source()
    assert scan.scan(source) == []
    for path in sorted(assignment.variants.glob("*/right_*.py")):
        grade_id = path.parent.name
        reference = next(c.source for c in source.cells if cells.grade_id(c) == grade_id and cells.is_solution(c))
        nb = _with(source, grade_id, nbrun.variant_source(reference, path.read_text()))
        assert scan.scan(nb) == [], path


CHEATS = {
    "np.allclose = lambda *a, **k: True": "rebinds numpy.allclose",
    "import numpy\nnumpy.testing.assert_allclose = print": "rebinds numpy.testing.assert_allclose",
    "setattr(np, 'allclose', lambda *a, **k: True)": "rebinds an attribute of numpy",
    "import sys\nsys.modules['numpy'] = None": "replaces a module in sys.modules",
    "import builtins\nbuiltins.AssertionError = Warning": "rebinds builtins.AssertionError",
    "__builtins__.print = None": "__builtins__",
    "get_ipython().input_transformers_cleanup.append(f)": "input transformer",
    "ip = get_ipython()\nip.input_transformers_post.insert(0, f)": "input transformer",
    "get_ipython().events.register('pre_run_cell', f)": "event hook",
    "get_ipython().ast_transformers.append(t)": "AST transformer",
    "get_ipython().showtraceback = lambda *a, **k: None": "reports errors",
    "get_ipython().set_custom_exc((Exception,), h)": "reports errors",
    "import sys\nsys.excepthook = print": "reports errors",
    "import importlib, course\nimportlib.reload(course)": "reloads a module",
    "check_value = lambda *a, **k: None": "rebinds `check_value`",
    "def check_value(*a, **k):\n    pass": "redefines `check_value`",
    "from math import isclose as check_value": "rebinds `check_value`",
    "exec('np.allclose = len')": "built at run time",
    "%load_ext autoreload": "%load_ext",
}


@pytest.mark.parametrize("code", CHEATS, ids=range(len(CHEATS)))
def test_scan_flags_each_cheat_with_its_line(code):
    fixture = next(a for a in ASSIGNMENTS if a.name == NAME)
    nb = _with(fixture.source(), "double", code + "\ndef double(x):\n    return 2 * x\n")
    findings = scan.scan(nb)
    assert any(CHEATS[code] in f.why or CHEATS[code] in f.code for f in findings), findings
    finding = next(f for f in findings if CHEATS[code] in f.why or CHEATS[code] in f.code)
    assert finding.cell == "cell `double`" and finding.code and finding.line >= 1
    assert str(finding).startswith("cell `double`, line ")


def test_scan_leaves_the_course_cells_alone():
    """Hidden tests that swap reference layers (04, 05, 06) are locked cells: not the student's, not read."""
    for assignment in ASSIGNMENTS:
        locked = [c for c in assignment.source().cells if cells.is_autograded_test(c)]
        nb = nbformat.v4.new_notebook()
        nb.cells = locked
        assert scan.scan(nb) == []


# -- decoys -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_decoys_copy_real_tests_with_one_false_assertion(assignment):
    nb = assignment.source()
    planted, where = decoys.plant(nb, random.Random(1), 3)
    assert len(where) == min(3, len(decoys.candidates(nb)))
    assert len(planted.cells) == len(nb.cells) + len(where)
    for index in where:
        original, decoy = planted.cells[index - 1].source, planted.cells[index].source
        added = [line for line in decoy.split("\n") if line not in original.split("\n")]
        assert len(added) == 1 and added[0].startswith("assert abs(")
        begin, end = decoy.index(decoys.BEGIN), decoy.index(decoys.END)
        assert begin < decoy.index(added[0]) < end, "the false assertion sits among the hidden tests"
        test = ast.parse(added[0]).body[0].test
        assert not eval(compile(ast.Expression(test), "decoy", "eval")), "the planted assertion must be false"
    ids = [c["id"] for c in planted.cells]
    assert len(set(ids)) == len(ids) and not set(ids) & {c.get("id") for c in nb.cells}
    kept, status, verdicts = decoys.remove(planted, where, list(range(len(planted.cells))))
    assert [c.source for c in kept.cells] == [c.source for c in nb.cells] and verdicts == where


def test_decoys_differ_between_submissions():
    fixture = next(a for a in ASSIGNMENTS if a.name == NAME).source()
    a, _ = decoys.plant(fixture, random.Random("one"), 2)
    b, _ = decoys.plant(fixture, random.Random("two"), 2)
    assert [c.source for c in a.cells] != [c.source for c in b.cells]


# -- settings ---------------------------------------------------------------------------------------------------
def test_settings_come_from_nbgrader_config_and_overrides_win():
    grading, box = settings.load(REPO)
    assert grading.cell_timeout == 120 and box.memory_mb == 2048 and box.mode == "auto"
    grading, box = settings.load(REPO, cell_timeout=5, mode="none", workers=None)
    assert grading.cell_timeout == 5 and box.mode == "none" and grading.workers == 0
    with pytest.raises(TypeError, match="unknown grading setting"):
        settings.load(REPO, cell_timout=5)


# -- without bubblewrap -----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_auto_falls_back_to_rlimits_loudly_and_still_grades(tmp_path, monkeypatch, capsys):
    real_which = sandbox.shutil.which
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None if name == "bwrap" else real_which(name))
    root = make_course(tmp_path / "course")
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


# -- resources -------------------------------------------------------------------------------------------------
def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.slow
def test_running_notebooks_leaves_no_descriptor_or_thread_behind(tmp_path):
    """A process grades a whole class (a Dask worker, hundreds): each run must give back its sockets, ZeroMQ
    context and heartbeat thread, also when a cell times out or the kernel dies. Before, each run kept about a
    dozen descriptors and a thread, and the test suite's processes hit select()'s limit of 1024."""
    grading, box = settings.load(REPO, cell_timeout=2)
    scratch = tmp_path / "scratch"
    scratch.mkdir(mode=0o711)
    launcher = sandbox.resolve(box, scratch)
    code = {"ends": "x = 1", "times out": "import time\ntime.sleep(30)", "dies": "import os\nos._exit(3)"}
    runs = []

    def run_all():
        for source in code.values():
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
            runs.append(execute.execute(nb, [], launcher, 0, grading, scratch))

    run_all()                                     # imports, caches: whatever is created once
    before, threads = _open_descriptors(), threading.active_count()
    for _ in range(3):
        run_all()
    assert [r.status for r in runs[-3:]] == [["ok"], ["error"], ["error"]], [r.reason for r in runs[-3:]]
    assert (_open_descriptors(), threading.active_count()) == (before, threads)
