"""The scan's flags for a backward pass that derives nothing, and for writes into the notebook's namespace.

A finding is a flag for the teacher (it reaches them through grade.py's outcome.flags, like every other finding of
autograder/scan.py); it must name the cell and the line, and it must never fire on honest work: the reference
solutions and every right variant of every assignment raise none.
"""
from __future__ import annotations

import re

import pytest

from autograder import cells, scan
from support import nbrun
from support.courses import ASSIGNMENTS, FIXTURE

# A cheat variant's file name says what it does; its flag must say the same.
CHEAT_KINDS = [
    (re.compile(r"^wrong_check_disabled"), "writes into the notebook's namespace"),
    (re.compile(r"^wrong_numeric_gradcheck"), "uses course."),
    (re.compile(r"^wrong_numeric_"), "central differences"),
]


def cheat_kind(path):
    return next((kind for pattern, kind in CHEAT_KINDS if pattern.match(path.name)), None)


def _variant_notebooks(assignment):
    source = assignment.source()
    for path in sorted(assignment.variants.glob("*/*.py")):
        grade_id = path.parent.name
        reference = next(c.source for c in source.cells if cells.grade_id(c) == grade_id and cells.is_solution(c))
        yield path, nbrun.with_cell(source, grade_id, nbrun.variant_source(reference, path.read_text()))


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_every_cheat_variant_is_flagged_and_no_other_variant_is(assignment):
    assert scan.scan(assignment.source()) == []
    for path, nb in _variant_notebooks(assignment):
        findings = scan.scan(nb)
        kind = cheat_kind(path)
        if kind is None:
            assert findings == [], (path, findings)
            continue
        assert any(kind in f.why or (kind == "central differences" and "course." in f.why) for f in findings), (
            path, findings)
        grade_id = path.parent.name
        assert all(f.cell.startswith("cell `") and f.line >= 1 and f.code for f in findings), findings
        assert any(f.cell == f"cell `{grade_id}`" for f in findings), findings


def _flags(code, grade_id="double"):
    fixture = next(a for a in ASSIGNMENTS if a.name == FIXTURE)
    return scan.scan(nbrun.with_cell(fixture.source(), grade_id, code))


HAND_WRITTEN = {
    "loop over entries, += and -=": """
def fc_backward(dz, cache):
    x, W, b = cache
    h = 1e-5
    dW = np.zeros_like(W)
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            W[i, j] += h
            fp = np.sum(fc_forward(x, W, b)[0] * dz)
            W[i, j] -= 2 * h
            fm = np.sum(fc_forward(x, W, b)[0] * dz)
            W[i, j] += h
            dW[i, j] = (fp - fm) / (2 * h)
    return None, dW, None
""",
    "elementwise, vectorized": """
def relu_backward(dz, x):
    return dz * (relu_forward(x + 1e-6)[0] - relu_forward(x - 1e-6)[0]) / 2e-6
""",
    "one-sided, eps": """
def sigmoid_backward(dout, x):
    eps = 1e-7
    return dout * (sigmoid_forward(x + eps) - sigmoid_forward(x)) / eps
""",
    "half and a stored difference": """
def conv_backward(dout, cache):
    x, w, b = cache
    delta = 1e-4
    dw = np.zeros(w.shape)
    for idx in np.ndindex(w.shape):
        old = w[idx]
        w[idx] = old + delta
        a = np.sum(conv_forward(x, w, b)[0] * dout)
        w[idx] = old - delta
        c = np.sum(conv_forward(x, w, b)[0] * dout)
        w[idx] = old
        diff = a - c
        dw[idx] = 0.5 * diff / delta
    return None, dw, None
""",
    "a unit vector times the step, divided twice": """
def softmax_grad(s, y):
    g = np.zeros_like(s)
    for k in range(s.size):
        e = np.zeros_like(s)
        e.flat[k] = 1.0
        g.flat[k] = (loss(s + 1e-5 * e, y) - loss(s - 1e-5 * e, y)) / 2 / 1e-5
    return g
""",
    "a sum of products through dout": """
def maxpool_backward(dout, x):
    step = 1e-6
    dx = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        x[idx] += step
        plus = maxpool_forward(x)[0]
        x[idx] -= 2 * step
        minus = maxpool_forward(x)[0]
        x[idx] += step
        dx[idx] = np.sum((plus - minus) * dout) / (2 * step)
    return dx
""",
    "a method of a model": """
class Net:
    def loss_and_gradients(self, X, y):
        grads = {}
        for key, p in self.params.items():
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + 1e-5
                up = self.loss(X, y)
                p[idx] = old - 1e-5
                down = self.loss(X, y)
                p[idx] = old
                g[idx] = (up - down) / (2e-5)
            grads[key] = g
        return self.loss(X, y), grads
""",
}


@pytest.mark.parametrize("style", HAND_WRITTEN, ids=list(HAND_WRITTEN))
def test_central_differences_written_by_hand_are_flagged_with_their_line(style):
    code = HAND_WRITTEN[style]
    findings = [f for f in _flags(code) if "central differences" in f.why]
    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding.cell == "cell `double`"
    assert "/" in finding.code and finding.code in code
    assert code.split("\n")[finding.line - 1].strip() == finding.code


def test_a_generic_differentiator_is_flagged_where_a_graded_function_calls_it():
    helper = ("def num(f, x, h=1e-5):\n"
              "    g = np.zeros_like(x)\n"
              "    for i in np.ndindex(x.shape):\n"
              "        old = x[i]\n"
              "        x[i] = old + h\n"
              "        a = f(x)\n"
              "        x[i] = old - h\n"
              "        b = f(x)\n"
              "        x[i] = old\n"
              "        g[i] = (a - b) / (2 * h)\n"
              "    return g\n")
    assert _flags(helper + "x = num(np.sum, np.ones(3))\n") == []          # a tool of the student's: no flag
    findings = _flags(helper + "def fc_backward(dz, cache):\n"
                               "    x, W, b = cache\n"
                               "    return num(lambda v: np.sum(fc_forward(v, W, b)[0] * dz), x.copy()), None, None\n")
    assert [f.line for f in findings] == [14], findings
    assert "`fc_backward` calls `num`, which computes central differences" in findings[0].why


COURSE_NUMERIC = {
    "import course.gradcheck as g\ndef fc_backward(dz, c):\n    return g.numeric_gradient_array(f, c[0], dz)\n":
        "numeric_gradient_array",
    "from course.gradcheck import numeric_gradient_array as nga\ndef fc_backward(dz, c):\n    return nga(f, c, dz)\n":
        "numeric_gradient_array",
    "from course import gradcheck as _g\nng = _g.numeric_gradient\ndef relu_backward(dz, c):\n    return ng(f, c)\n":
        "numeric_gradient",
    "from course import gradcheck\ndef relu_backward(dz, c):\n"
    "    return getattr(gradcheck, 'numeric_gradient_array')(f, c, dz)\n": "numeric_gradient_array",
    "from course.gradcheck import *\ndef conv_backward(dz, c):\n    return check_backward('dx', 0, f, c, dz)\n":
        "check_backward",
    "import course\ndef conv_backward(dz, c):\n    return course.gradcheck._central_differences(f, c, 1e-5, None)\n":
        "_central_differences",
    "from course.graph import central_difference\ndef local_grads(op, x):\n    return central_difference(f, x)\n":
        "course.graph's central_difference",
    "from course.gradcheck import numeric_gradient\n"
    "def _helper(x):\n    return numeric_gradient(f, x)\n"
    "def fc_backward(dz, c):\n    return _helper(c)\n": "`_helper` uses course.gradcheck's numeric_gradient",
    "from course.gradcheck import numeric_gradient\n"
    "def check_helper(x):\n    return numeric_gradient(f, x)\n"
    "def fc_backward(dz, c):\n    return check_helper(c)\n": "calls `check_helper`, which computes course.gradcheck's",
    # imported inside the function (a simulated student of 01 did this; the scan saw only top-level imports)
    "def backward(output, partials):\n    from course.graph import numeric_output_derivative\n"
    "    return {n: numeric_output_derivative(output, n) for n in partials}\n":
        "course.graph's numeric_output_derivative",
}


@pytest.mark.parametrize("code", COURSE_NUMERIC, ids=range(len(COURSE_NUMERIC)))
def test_the_course_numeric_functions_are_flagged_under_any_name(code):
    findings = _flags(code)
    assert any(COURSE_NUMERIC[code] in f.why for f in findings), findings
    finding = next(f for f in findings if COURSE_NUMERIC[code] in f.why)
    assert finding.cell == "cell `double`" and code.split("\n")[finding.line - 1].strip() == finding.code


HONEST = [
    # the student checks their own work, outside the graded function
    "from course.gradcheck import numeric_gradient_array\n"
    "def fc_backward(dz, c):\n    x, W, b = c\n    return dz @ W.T, x.T @ dz, dz.sum(0)\n"
    "num = numeric_gradient_array(lambda v: v @ W, W0, dz0)\n",
    "from course.gradcheck import check_backward\n"
    "def check_my_backward():\n    check_backward('dW', dW, lambda v: x @ v, W, dz)\n",
    # epsilons that are no step
    "def softmax_cross_entropy(s, y):\n    p = np.exp(s - s.max()) / np.sum(np.exp(s - s.max()))\n"
    "    return -np.log(p[y] + 1e-12), (p - np.eye(p.size)[y]) / (1 + 1e-12)\n",
    "def batchnorm_backward(dout, cache):\n    x, mu, var, eps = cache\n    xhat = (x - mu) / np.sqrt(var + eps)\n"
    "    return dout * (1 - xhat) / np.sqrt(var + eps)\n",
    "def adam_step(w, g, m, v, lr=1e-3, eps=1e-8):\n    m = 0.9 * m + 0.1 * g\n    v = 0.999 * v + 0.001 * g * g\n"
    "    return w - lr * m / (np.sqrt(v) + eps), m, v\n",
    "def conv_forward(x, w, b, stride=1):\n    H_out = int((x.shape[2] - w.shape[2]) / stride + 1)\n    return H_out\n",
    "def smooth_relu_backward(dout, x, h=1e-3):\n    return dout * (x + h > 0)\n",
    # the namespace, read only
    "if 'W' in globals():\n    print(vars(W))\nx = globals().get('x', 1)\n",
    # 01's exercise: a generic differentiator of the function it receives
    "def numerical_derivative(f, x, h=1e-5):\n    return (f(x + h) - f(x - h)) / (2 * h)\n",
]


@pytest.mark.parametrize("code", HONEST, ids=range(len(HONEST)))
def test_honest_code_raises_no_flag(code):
    assert _flags(code) == []


NAMESPACE_WRITES = {
    "globals()['check_' + 'backward'] = lambda *a, **k: None": "through globals()",
    "vars()[name] = f": "edits a module's namespace",
    "globals().update(check_backward=print)": "through globals().update",
    "globals().setdefault('check_value', print)": "through globals().setdefault",
    "locals()['x'] = 1": "through locals()",
    "g = globals()\ng['check_' + 'value'] = print": "through g (a namespace)",
    "import sys\nsetattr(sys.modules[__name__], 'check_backward', print)": "setattr on the module sys.modules",
    "import sys\nm = sys.modules[__name__]\nm.check_value = print": "rebinds `check_value` on the module m",
    "import sys\nsys.modules[__name__].check_value = print": "rebinds `check_value` on the module sys.modules",
    "import importlib\nsetattr(importlib.import_module('__main__'), 'check_value', print)": "setattr on the module",
    "import __main__\n__main__.check_value = print": "rebinds __main__.check_value",
    "import sys\nsys.modules['__main__'].__dict__['check_value'] = print": "through sys.modules['__main__'].__dict__",
    "import sys\nsys.modules[__name__].__dict__.update(check_value=print)": "through sys.modules[__name__].__dict__",
    "def double(x):\n    globals()['check_' + 'value'] = print\n    return 2 * x": "through globals()",
}


@pytest.mark.parametrize("code", NAMESPACE_WRITES, ids=range(len(NAMESPACE_WRITES)))
def test_writes_into_the_notebook_namespace_are_flagged_with_their_line(code):
    findings = _flags(code + "\ndef double(x):\n    return 2 * x\n")
    assert any(NAMESPACE_WRITES[code] in f.why for f in findings), findings
    finding = next(f for f in findings if NAMESPACE_WRITES[code] in f.why)
    assert finding.cell == "cell `double`"
    assert code.split("\n")[finding.line - 1].strip() == finding.code
