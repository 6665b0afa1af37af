"""The tamper scan (autograder/scan.py): honest work and the course's own cells raise no flag, each cheat is
flagged with its cell and line. (tests/test_scan_derivation.py: a backward function that does not derive.)"""
from __future__ import annotations

import nbformat
import pytest

from autograder import cells, scan
from support import nbrun
from support.courses import ASSIGNMENTS, FIXTURE


def _with(nb, grade_id, source):
    return nbrun.with_cell(nb, grade_id, source)


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
    fixture = next(a for a in ASSIGNMENTS if a.name == FIXTURE)
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
