"""What a student reads when course.gradcheck cannot even compare: a forward of the wrong shape, a forward that
changes its input, an input at a kink, an exception in the student's code -- and that no traceback shows course/.

The student's functions are defined the way a notebook defines them: in a namespace whose __name__ is __main__.
"""

import re

import nbclient
import nbformat
import numpy as np
import pytest

from course.gradcheck import (
    ForwardOutputError,
    StudentCodeError,
    check_backward,
    numeric_gradient,
    numeric_gradient_array,
)

STUDENT = '''
import numpy as np

def conv_forward(x, w, b):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    out = np.zeros((N, F, H - HH, W - WW))          # one row and one column short
    return out, (x, w, b)

def conv_forward_only_out(x, w, b):
    return np.zeros((x.shape[0], w.shape[0], 3, 2))

def relu_forward(x):
    np.maximum(x, 0, out=x)                          # in place
    return x, x

def softmax_shift_in_place(t, y):
    t -= t.max(axis=1, keepdims=True)                # in place: x is as it was after the check restores an entry
    p = np.exp(t) / np.exp(t).sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(y)), y]).mean()), None

def relu_backward(dout, cache):
    return dout * (cache > 0)

def softmax_loss(s, y):
    return -np.log(np.exp(s) / np.exp(s).sum(1, keepdims=True))[np.arange(len(y)), y], None

def fc_forward(x, W, b):
    return x @ W.T + b, None                         # raises for a non-square W

class Model:
    def loss(self, X):
        return np.ones(3)

def _layer(x, w, b):                                 # a course helper: private, looked into
    return conv_forward(x, w, b)[0]
'''


@pytest.fixture
def nb():
    namespace = {"__name__": "__main__"}
    exec(compile(STUDENT, "<cell>", "exec"), namespace)
    return namespace


def conv_inputs():
    rng = np.random.default_rng(0)
    return (rng.standard_normal((2, 3, 5, 4)), rng.standard_normal((3, 3, 3, 3)), rng.standard_normal(3),
            rng.standard_normal((2, 3, 3, 2)))


def failure(*args, **kwargs):
    with pytest.raises(AssertionError) as info:
        check_backward(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------
# A forward of the wrong shape names the student's function
# ---------------------------------------------------------------------------

def test_a_wrong_output_shape_names_the_students_forward(nb):
    x, w, b, dout = conv_inputs()
    conv_forward = nb["conv_forward"]
    error = failure("dx", np.zeros_like(x), lambda v: conv_forward(v, w, b)[0], x, dout,
                    hints={"forward_shape": "Check its output size H' = H - HH + 1.",
                           "shape": "NOT this one"})
    assert isinstance(error, ForwardOutputError) and isinstance(error, ValueError)
    assert error.diagnosis == "shape" and error.name == "conv_forward"
    assert str(error) == (
        "conv_forward returned an array of shape (2, 3, 2, 1), but the upstream gradient has shape (2, 3, 3, 2) "
        "(axis 2: 2 instead of 3; axis 3: 1 instead of 2): the output of conv_forward has the wrong shape, so no "
        "gradient can be checked through it yet; fix conv_forward first. Check its output size H' = H - HH + 1.")


def test_the_function_is_found_through_globals_closures_helpers_and_methods(nb):
    x, w, b, dout = conv_inputs()
    exec("def _check(x, w, b, dout):\n"
         "    f = conv_forward\n"
         "    return [lambda v: conv_forward(v, w, b)[0], lambda v: _layer(v, w, b),\n"
         "            lambda v: (lambda: f(v, w, b))()[0]]\n",
         nb)
    for f in nb["_check"](x, w, b, dout):
        assert failure("dx", np.zeros_like(x), f, x, dout).name == "conv_forward"
    model = nb["Model"]()
    error = failure("dW", np.zeros(4), lambda _: model.loss(x), np.ones(4))
    assert str(error).startswith("model.loss returned an array of shape (3,), not a single number")
    error = failure("dx", np.zeros_like(x), lambda v: nb["conv_forward"](v, w, b)[0], x, dout, forward="my_conv")
    assert str(error).startswith("my_conv returned an array")


def test_several_functions_and_none(nb):
    x, w, b, dout = conv_inputs()
    conv_forward, relu_forward = nb["conv_forward"], nb["relu_forward"]
    error = failure("dx", np.zeros_like(x), lambda v: relu_forward(conv_forward(v, w, b)[0])[0], x, dout)
    assert str(error).startswith("the checked function (it calls conv_forward and relu_forward) returned an "
                                 "array of shape (2, 3, 2, 1)")
    with pytest.raises(ForwardOutputError, match=r"f\(x\) has shape \(3, 2\) but the upstream gradient dout has "
                                                  r"shape \(2, 3\)"):
        numeric_gradient_array(lambda v: v.T, np.ones((2, 3)), np.ones((2, 3)))


def test_one_sample_instead_of_the_batch_and_a_tuple_instead_of_an_array(nb):
    x, w, b, dout = conv_inputs()
    only_out = nb["conv_forward_only_out"]
    error = failure("dx", np.zeros_like(x), lambda v: only_out(v, w, b)[0], x, dout)
    assert "that is the shape of ONE sample" in str(error) and "(out, cache)" in str(error)
    conv_forward = nb["conv_forward"]
    error = failure("dx", np.zeros_like(x), lambda v: conv_forward(v, w, b), x, dout)
    assert error.diagnosis == "type"
    assert str(error).startswith("conv_forward returned a tuple of 2 items, not one array")


def test_a_loss_that_is_not_a_scalar_names_the_loss(nb):
    softmax_loss = nb["softmax_loss"]
    s = np.random.default_rng(0).standard_normal((4, 5))
    error = failure("ds", np.zeros_like(s), lambda v: softmax_loss(v, np.arange(4))[0], s)
    assert error.diagnosis == "shape" and isinstance(error, ValueError)
    assert str(error).startswith("softmax_loss returned an array of shape (4,), not a single number")
    with pytest.raises(ValueError, match="numeric_gradient_array"):
        numeric_gradient(lambda v: v ** 2, np.ones(3))


def test_an_exception_of_the_forward_names_it_and_keeps_the_students_frame(nb):
    fc_forward = nb["fc_forward"]
    x, W, b = np.ones((4, 5)), np.ones((3, 5)), np.zeros(5)
    error = failure("dx", np.zeros_like(x), lambda v: fc_forward(v, W.T, b)[0], x, np.ones((4, 3)))
    assert isinstance(error, StudentCodeError)
    assert re.match(r"fc_forward raised ValueError: matmul: .* \(the gradient check called it on x of shape "
                    r"\(4, 5\)\)$", str(error)), str(error)
    assert isinstance(error.__cause__, ValueError)
    assert np.array_equal(x, np.ones((4, 5)))


# ---------------------------------------------------------------------------
# In place, and kinks
# ---------------------------------------------------------------------------

def test_a_forward_that_changes_its_input_during_the_check_is_named_and_x_restored(nb):
    rng = np.random.default_rng(3)
    X, dZ = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    before = X.copy()
    relu_forward, relu_backward = nb["relu_forward"], nb["relu_backward"]
    error = failure("dX", relu_backward(dZ, before), lambda v: relu_forward(v)[0], X, dZ)
    assert error.diagnosis == "inplace"
    assert re.match(r"relu_forward changed its input in place: while the gradient check evaluated it, X\[\d, \d\] "
                    r"went from -\d\.\d+ to 0 \(\d+ of 12 entries changed\)\. A forward function must leave its "
                    "input as it found it", str(error)), str(error)
    assert np.array_equal(X, before)


def test_a_forward_that_shifts_its_input_in_place_is_diagnosed_first_and_alone(nb):
    """06: t -= t.max(...) leaves t as it was once the perturbed entry is restored, but f(x - h e) was computed at a
    shifted point; the diagnosis is "inplace" (never a mismatch, nor a kink softmax does not have)."""
    rng = np.random.default_rng(6)
    t, y = rng.standard_normal((4, 6)), np.array([0, 5, 2, 2])
    sce = nb["softmax_shift_in_place"]
    sce(t, y)                                                  # the student's call before the check shifted t already
    before = t.copy()
    p = np.exp(t) / np.exp(t).sum(axis=1, keepdims=True)
    p[np.arange(4), y] -= 1.0
    error = failure("dt", p / 4, lambda v: sce(v, y)[0], t, batch_size=4, hints={"mismatch": "M", "kink": "K"})
    assert error.diagnosis == "inplace"
    assert str(error).startswith("softmax_shift_in_place changed its input in place: while the gradient check "
                                 "evaluated it, t["), str(error)
    assert "kink" not in str(error) and " M" not in str(error) and " K" not in str(error)
    assert np.array_equal(t, before)


def test_an_input_zeroed_in_place_before_the_check_is_diagnosed_as_a_kink(nb):
    """05's relu_forward(X) zeroed the test's X; relu_backward is right, but X now sits at the kink."""
    rng = np.random.default_rng(3)
    X, dZ = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    original = X.copy()
    nb["relu_forward"](X)                                      # the student's forward, run by an earlier check
    dX = nb["relu_backward"](dZ, original)                     # right for the original X
    error = failure("dX", dX, lambda v: np.maximum(v, 0.0), X, dZ, hints={"kink": "Test relu_forward for in-place."})
    assert error.diagnosis == "kink"
    first = tuple(np.argwhere(original < 0)[0])
    slope = dZ[first]
    assert str(error) == (
        f"X[{first[0]}, {first[1]}] = 0 sits exactly at a kink of the forward function (slope 0 on one side, "
        f"{slope:.4g} on the other): the numeric gradient there is their average and means nothing. If the test's "
        "input was not at a kink, your forward function may have changed its input in place. "
        "Test relu_forward for in-place.")


def test_a_wrong_gradient_of_a_smooth_function_is_no_kink():
    x = np.linspace(-2, 3, 12).reshape(3, 4)
    dout = np.random.default_rng(0).standard_normal((3, 4))
    wrong = np.cos(x) * dout * 1.3 + 0.1
    error = failure("dx", wrong, np.sin, x, dout)
    assert error.diagnosis == "mismatch"
    error = failure("dx", np.exp(x) * dout + 0.5, np.exp, x * 3, dout)   # a large second derivative
    assert error.diagnosis == "mismatch"
    check_backward("dx", np.where(x > 0, dout, 0.0), lambda v: np.maximum(v, 0), x + 0.01, dout)


def test_only_some_differing_entries_at_a_kink_are_counted():
    x = np.array([[0.0, 1.0, -2.0, 3.0]])
    dout = np.array([[1.0, 1.0, 1.0, 1.0]])
    wrong = np.array([[1.0, 5.0, 0.0, 1.0]])                 # x[0, 0] at the kink; x[0, 1] really wrong
    error = failure("dx", wrong, lambda v: np.maximum(v, 0), x, dout)
    assert error.diagnosis == "kink"
    assert "(1 of the 2 entries that differ sit at kinks; the others do not)" in str(error)


# ---------------------------------------------------------------------------
# No traceback into course/
# ---------------------------------------------------------------------------

CELLS = [
    "import numpy as np\nfrom course.gradcheck import check_backward, call_student, check_derived, derivation_guard",
    "def conv_forward(x, w):\n    return x[:, :2] * 2, None\n",
    "check_backward('dx', np.ones((2, 3)), lambda v: conv_forward(v, 1)[0], np.ones((2, 3)), np.ones((2, 3)))",
    "def fc_backward(dz, cache):\n    x, W = cache\n    return dz @ W, x.T @ dz\n",
    "call_student(fc_backward, np.ones((4, 3)), (np.ones((4, 5)), np.ones((5, 3))))",
    "check_derived('dW', np.ones((2, 2)) * 2, np.ones((2, 2)))",
    "def fc_forward(x):\n    return x.sum() + undefined_name\n",
    "check_backward('dx', np.ones(3), fc_forward, np.ones(3))",
    "def fc_back(dz):\n    return np.array([fc_forward(np.ones(2)) for _ in range(5)])\n"
    "fc_forward = lambda x: x.sum()\n"
    "with derivation_guard('fc_back', globals(), forwards=('fc_forward',)):\n    fc_back(1.0)",
    "check_backward('dx', 3 * np.ones((2, 2)), lambda v: v, np.ones((2, 2)), np.ones((2, 2)))",
]


def test_a_kernel_shows_no_frame_of_course_only_the_students():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nbclient.NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120).execute()
    errors = {}
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                errors[index] = (out.ename, re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(out.traceback)))
    assert set(errors) == {2, 4, 5, 7, 8, 9}, errors
    for _ename, text in errors.values():
        assert "gradcheck.py" not in text and "/course/" not in text and "hidden" not in text, text
    assert errors[2][0] == "ForwardOutputError" and "conv_forward returned an array of shape (2, 2)" in errors[2][1]
    ename, text = errors[4]
    assert ename == "StudentCodeError" and "return dz @ W, x.T @ dz" in text        # the student's line stays
    assert "The above exception was the direct cause" in text
    ename, text = errors[7]
    assert ename == "StudentCodeError" and "undefined_name" in text and "return x.sum() + undefined_name" in text
    assert errors[8][0] == "GradientCheckError"
    assert "fc_back called fc_forward 3 times (at most 2 allowed), and was stopped there" in errors[8][1]
    assert errors[9][0] == "GradientCheckError" and "dx is the numeric gradient times 3" in errors[9][1]
