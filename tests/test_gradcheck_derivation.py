"""Tests of the hidden tests' side of course/gradcheck.py: call_student, check_derived, derivation_guard.

check_derived must accept every exact way of computing a gradient (matmul, einsum, python loops) and reject a
numeric gradient on the inputs its docstring recommends; derivation_guard must catch a backward that calls the
course's numeric functions (under any name) or its forward many times, and always restore the namespace.
"""

import pickle

import numpy as np
import pytest

from course import gradcheck
from course.gradcheck import (
    GradientCheckError,
    StudentCodeError,
    call_student,
    check_derived,
    derivation_guard,
    numeric_gradient,
    numeric_gradient_array,
)


def relative(a, b):
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def diagnose(*args, **kwargs):
    with pytest.raises(GradientCheckError) as info:
        check_derived(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------
# call_student
# ---------------------------------------------------------------------------

def conv_forward(x, w, b, conv_param):
    return x[:, :, :, :3] + w      # a broadcasting mistake


def test_call_student_returns_the_result():
    assert call_student(lambda a, b=1: a + b, 2, b=3) == 5


def test_call_student_names_the_function_the_error_and_the_input_shapes():
    x, w, b = np.zeros((2, 3, 5, 4)), np.zeros((3, 3, 3, 3)), np.zeros(3)
    with pytest.raises(StudentCodeError) as info:
        call_student(conv_forward, x, w, b, {"stride": 1, "pad": 1})
    error = info.value
    assert isinstance(error, AssertionError)
    assert str(error).startswith(
        "conv_forward(x: (2, 3, 5, 4), w: (3, 3, 3, 3), b: (3,), conv_param: {'stride': 1, 'pad': 1}) "
        "raised ValueError: operands could not be broadcast")
    assert error.function == "conv_forward"
    assert isinstance(error.__cause__, ValueError) and error.error is error.__cause__
    # The student's own line is still in the chained traceback.
    tb = error.__cause__.__traceback__
    names = []
    while tb:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    assert "conv_forward" in names


def test_call_student_describes_other_arguments():
    def fc_backward(dout, cache):
        raise IndexError("tuple index out of range")

    cache = (np.zeros((4, 5)), np.zeros((5, 3), dtype=np.float32), 3, 0.5, "relu", None)
    with pytest.raises(StudentCodeError) as info:
        call_student(fc_backward, np.zeros((4, 3)), cache)
    assert str(info.value) == ("fc_backward(dout: (4, 3), cache: ((4, 5), (5, 3) float32, 3, 0.5, 'relu', None)) "
                               "raised IndexError: tuple index out of range")


def test_call_student_on_a_function_not_written_yet_and_on_a_non_function():
    def relu_forward(x):
        raise NotImplementedError

    with pytest.raises(StudentCodeError, match=r"relu_forward\(x: \(2,\)\) raised NotImplementedError: it is not "
                                               "written yet"):
        call_student(relu_forward, np.zeros(2))
    with pytest.raises(StudentCodeError, match="is not a function"):
        call_student(None, 1)


def test_call_student_lets_interrupts_through_and_can_be_pickled():
    def stop():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        call_student(stop)
    with pytest.raises(StudentCodeError) as info:
        call_student(lambda: 1 / 0)
    copy = pickle.loads(pickle.dumps(info.value))
    assert str(copy) == str(info.value) and "ZeroDivisionError" in str(copy)


# ---------------------------------------------------------------------------
# check_derived: every exact implementation passes
# ---------------------------------------------------------------------------

rng = np.random.default_rng(0)


def affine_problem(offset=1e3, seed=0):
    r = np.random.default_rng(seed)
    x, W = r.standard_normal((4, 5)), r.standard_normal((5, 3))
    b = offset + r.standard_normal(3)
    dz = r.standard_normal((4, 3))
    return x, W, b, dz


def loops_affine_backward(x, W, dz):
    N, D = x.shape
    H = W.shape[1]
    dx, dW, db = np.zeros((N, D)), np.zeros((D, H)), np.zeros(H)
    for n in range(N):
        for d in range(D):
            for k in range(H):
                dW[d, k] += x[n, d] * dz[n, k]
                dx[n, d] += dz[n, k] * W[d, k]
        for k in range(H):
            db[k] += dz[n, k]
    return dx, dW, db


@pytest.mark.parametrize("seed", range(5))
def test_matmul_einsum_and_loops_pass_for_an_affine_layer(seed):
    x, W, b, dz = affine_problem(seed=seed)
    ldx, ldW, ldb = loops_affine_backward(x, W, dz)
    for dW in (x.T @ dz, np.einsum("nd,nh->dh", x, dz), ldW, (dz.T @ x).T, np.dot(x.T, dz)):
        check_derived("dW", dW, x.T @ dz)
    for dx in (dz @ W.T, np.einsum("nh,dh->nd", dz, W), ldx):
        check_derived("dx", dx, dz @ W.T)
    for db in (dz.sum(0), np.einsum("nh->h", dz), ldb, np.ones(4) @ dz, sum(dz[n] for n in range(4))):
        check_derived("db", db, dz.sum(axis=0))


def softmax_ce(s, y, shift=True):
    if shift:
        s = s - s.max(axis=1, keepdims=True)
    e = np.exp(s)
    p = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y])), p


@pytest.mark.parametrize("offset", [0.0, 1e3])
def test_softmax_cross_entropy_gradients_pass_however_computed(offset):
    s = rng.standard_normal((4, 6)) + offset
    y = np.array([0, 5, 2, 2])
    _, p = softmax_ce(s, y)
    exact = p.copy()
    exact[np.arange(4), y] -= 1
    exact /= 4
    onehot = np.eye(6)[y]
    candidates = [(p - onehot) / 4, p / 4 - onehot / 4]
    loop = np.zeros_like(s)
    for n in range(4):
        row = np.exp(s[n] - np.max(s[n]))
        row /= np.sum(row)
        for c in range(6):
            loop[n, c] = (row[c] - (c == y[n])) / 4
    candidates.append(loop)
    if offset == 0:
        candidates.append((softmax_ce(s, y, shift=False)[1] - onehot) / 4)
    for dx in candidates:
        check_derived("dx", dx, exact)


def conv_loops(x, w, b):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    out = np.zeros((N, F, H - HH + 1, W - WW + 1))
    for n in range(N):
        for f in range(F):
            for i in range(H - HH + 1):
                for j in range(W - WW + 1):
                    out[n, f, i, j] = np.sum(x[n, :, i:i + HH, j:j + WW] * w[f]) + b[f]
    return out


def conv_problem(seed=0, offset=1e3):
    r = np.random.default_rng(seed)
    x, w = r.standard_normal((2, 3, 5, 4)), r.standard_normal((3, 3, 3, 3))
    b = offset + r.standard_normal(3)
    dout = r.standard_normal((2, 3, 3, 2))
    return x, w, b, dout


def conv_backward_loops(x, w, dout):
    dx, dw = np.zeros_like(x), np.zeros_like(w)
    F, _, HH, WW = w.shape
    for n in range(x.shape[0]):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    dw[f] += dout[n, f, i, j] * x[n, :, i:i + HH, j:j + WW]
                    dx[n, :, i:i + HH, j:j + WW] += dout[n, f, i, j] * w[f]
    return dx, dw, dout.sum(axis=(0, 2, 3))


def conv_backward_einsum(x, w, dout):
    F, C, HH, WW = w.shape
    windows = np.lib.stride_tricks.sliding_window_view(x, (HH, WW), axis=(2, 3))   # (N, C, H', W', HH, WW)
    dw = np.einsum("nfij,ncijhw->fchw", dout, windows)
    dx = np.zeros_like(x)
    for i in range(HH):
        for j in range(WW):
            dx[:, :, i:i + dout.shape[2], j:j + dout.shape[3]] += np.einsum("nfab,fc->ncab", dout, w[:, :, i, j])
    return dx, dw, np.einsum("nfij->f", dout)


@pytest.mark.parametrize("seed", range(3))
def test_conv_loops_and_einsum_agree_to_the_exact_tolerance(seed):
    x, w, b, dout = conv_problem(seed)
    exact = conv_backward_loops(x, w, dout)
    for name, got, ref in zip(("dx", "dw", "db"), conv_backward_einsum(x, w, dout), exact):
        check_derived(name, got, ref)


def maxpool(x):
    N, C, H, W = x.shape
    return x.reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))


def maxpool_backward_loops(x, dout):
    dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(dout.shape):
        window = x[n, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2]
        a, b = np.unravel_index(np.argmax(window), window.shape)
        dx[n, c, 2 * i + a, 2 * j + b] += dout[n, c, i, j]
    return dx


def maxpool_backward_mask(x, dout):
    out = maxpool(x)
    up = np.repeat(np.repeat(out, 2, axis=2), 2, axis=3)
    mask = x == up
    return mask * np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3)


def test_maxpool_loops_and_mask_agree_to_the_exact_tolerance():
    x = np.random.default_rng(3).standard_normal((2, 3, 4, 6)) + 1e3
    dout = np.random.default_rng(4).standard_normal((2, 3, 2, 3))
    check_derived("dx", maxpool_backward_mask(x, dout), maxpool_backward_loops(x, dout))


# ---------------------------------------------------------------------------
# check_derived: a numeric gradient fails, with "numeric", on the documented inputs
# ---------------------------------------------------------------------------

def numeric_cases():
    """(name, numeric gradient, exact gradient) on the inputs the docstring recommends."""
    x, W, b, dz = affine_problem()
    yield "affine dW, b = 1e3", numeric_gradient_array(lambda W: x @ W + b, W, dz), x.T @ dz
    yield "affine dx, b = 1e3", numeric_gradient_array(lambda x: x @ W + b, x, dz), dz @ W.T
    W2 = W + 1e3
    yield "affine dW, W + 1e3", numeric_gradient_array(lambda W: x @ W, W2, dz), x.T @ dz
    s = np.random.default_rng(0).standard_normal((4, 6)) + 1e3
    y = np.array([0, 5, 2, 2])
    _, p = softmax_ce(s, y)
    exact = p.copy()
    exact[np.arange(4), y] -= 1
    yield "softmax-CE dx, logits + 1e3", numeric_gradient(lambda s: softmax_ce(s, y)[0], s), exact / 4
    x, w, b, dout = conv_problem()
    yield ("conv dw, b = 1e3", numeric_gradient_array(lambda w: conv_loops(x, w, b), w, dout),
           conv_backward_loops(x, w, dout)[1])
    x = np.random.default_rng(3).standard_normal((2, 3, 4, 6)) + 1e3
    dout = np.random.default_rng(4).standard_normal((2, 3, 2, 3))
    yield "max-pool dx, x + 1e3", numeric_gradient_array(maxpool, x, dout), maxpool_backward_loops(x, dout)


@pytest.mark.parametrize("case", list(numeric_cases()), ids=lambda c: c[0])
def test_a_numeric_gradient_fails_as_numeric_on_the_documented_inputs(case):
    label, numeric, exact = case
    error_size = relative(numeric, exact)
    print(f"{label}: numeric vs exact {error_size:.1e}")
    assert 1e-9 < error_size < 1e-6, error_size                  # as measured in the docstring
    error = diagnose("d", numeric, exact)
    assert error.diagnosis == "numeric"
    assert "the precision of a numeric (finite-difference) gradient, not of a derived formula" in str(error)


def test_at_unit_scale_a_numeric_gradient_of_a_linear_layer_would_pass():
    """Why the docstring asks for offsets: without one, central differences on x @ W are exact enough."""
    x, W, b, dz = affine_problem(offset=0.0)
    check_derived("dW", numeric_gradient_array(lambda W: x @ W + b, W, dz), x.T @ dz)


def test_the_usual_diagnoses_against_the_exact_gradient():
    x, W, b, dz = affine_problem()
    exact = x.T @ dz
    assert diagnose("dW", None, exact).diagnosis == "type"
    assert diagnose("dW", exact.T, exact).diagnosis == "transpose"
    assert diagnose("dW", np.ones(3), exact).diagnosis == "shape"
    assert diagnose("dW", -exact, exact).diagnosis == "sign"
    assert diagnose("dW", np.zeros_like(exact), exact).diagnosis == "zero"
    error = diagnose("dW", 2 * exact, exact)
    assert error.diagnosis == "factor" and "the exact gradient times 2" in str(error)
    assert diagnose("dW", exact / 4, exact, batch_size=4).diagnosis == "batch_factor"
    wrong = exact.copy()
    wrong[1, 2] += 0.5
    error = diagnose("dW", wrong, exact)
    assert error.diagnosis == "mismatch" and str(error).startswith("dW[1, 2] = ")
    nan = exact.copy()
    nan[0, 0] = np.nan
    assert diagnose("dW", nan, exact).diagnosis == "nonfinite"
    assert diagnose("dW", exact.sum(0) * 0 + exact, exact[0]).diagnosis in ("shape", "sum_batch")


def test_float32_and_epsilons_are_named_in_the_numeric_message_and_hints_are_appended():
    x, W, b, dz = affine_problem()
    exact = x.T @ dz
    error = diagnose("dW", exact.astype(np.float32), exact, hints={"numeric": "Derive dW (eq. 12)."})
    assert error.diagnosis == "numeric"
    assert "float32" in str(error) and str(error).endswith("Derive dW (eq. 12).")
    assert diagnose("dW", exact + 1e-3 * np.abs(exact).max(), exact).diagnosis != "numeric"


def test_the_rule_is_rtol_times_entry_plus_largest_entry():
    exact = np.array([1.0, 1e-6])
    check_derived("d", exact + np.array([1.9e-11, 0.9e-11]), exact)     # 1e-11 * (|e| + 1)
    assert diagnose("d", exact + np.array([0.0, 1.1e-11]), exact).diagnosis == "numeric"
    assert diagnose("d", exact + np.array([2.1e-11, 0.0]), exact).diagnosis == "numeric"
    check_derived("d", exact + np.array([0.0, 1e-9]), exact, rtol=1e-9)
    check_derived("z", np.array([1e-17, 0.0]), np.zeros(2), atol=1e-15)


# ---------------------------------------------------------------------------
# derivation_guard
# ---------------------------------------------------------------------------

def _forward(x, W, b):
    return x @ W + b, (x, W, b)


def _namespace():
    ns = {"fc_forward": _forward, "np": np}

    def honest(dz, cache):
        x, W, b = cache
        return dz @ W.T, x.T @ dz, dz.sum(0)

    def recomputes(dz, cache):
        out, _ = ns["fc_forward"](*cache)        # one call of the forward is allowed
        x, W, b = cache
        return dz @ W.T, x.T @ dz, dz.sum(0)

    def by_hand(dz, cache):
        x, W, b = cache
        dW = np.zeros_like(W)
        for idx in np.ndindex(W.shape):
            Wp, Wm = W.copy(), W.copy()
            Wp[idx] += 1e-5
            Wm[idx] -= 1e-5
            dW[idx] = np.sum((ns["fc_forward"](x, Wp, b)[0] - ns["fc_forward"](x, Wm, b)[0]) * dz) / 2e-5
        return dz @ W.T, dW, dz.sum(0)

    ns.update(honest=honest, recomputes=recomputes, by_hand=by_hand)
    return ns


def test_an_honest_backward_passes_and_the_forward_is_put_back():
    ns = _namespace()
    x, W, b, dz = affine_problem()
    for name in ("honest", "recomputes"):
        with derivation_guard("fc_backward", ns, forwards=("fc_forward",)) as record:
            call_student(ns[name], dz, (x, W, b))
        assert ns["fc_forward"] is _forward
    assert record.forward_calls == {"fc_forward": 1} and not record.numeric_calls


def test_many_calls_of_the_forward_fail_naming_the_function_the_forward_and_the_count():
    ns = _namespace()
    x, W, b, dz = affine_problem()
    with pytest.raises(GradientCheckError) as info:
        with derivation_guard("fc_backward", ns, forwards="fc_forward"):
            call_student(ns["by_hand"], dz, (x, W, b))
    assert info.value.diagnosis == "numeric" and info.value.name == "fc_backward"
    # stopped at the call beyond the limit: the other 27 forward passes of its numeric gradient never ran
    assert str(info.value).startswith("fc_backward called fc_forward 3 times (at most 2 allowed), and was stopped "
                                      "there: it computes a numeric gradient of the forward pass instead of the "
                                      "derivative")
    assert ns["fc_forward"] is _forward


@pytest.mark.parametrize("how", [
    "numeric_gradient_array(lambda W: x @ W + b, W.copy(), dz)",
    "ng(lambda W: x @ W + b, W.copy(), dz)",
    "gc.numeric_gradient(lambda W: np.sum((x @ W + b) * dz), W.copy())",
    "gc._central_differences(lambda W: float(np.sum((x @ W + b) * dz)), W.copy(), 1e-5, None)",
    "np.array([gc._partial_derivative(lambda W: float(np.sum((x @ W + b) * dz)), W.copy(), i, 1e-5)"
    " for i in np.ndindex(W.shape)]).reshape(W.shape)",
    "(check_backward('dW', x.T @ dz, lambda W: x @ W + b, W.copy(), dz), x.T @ dz)[1]",
])
def test_the_course_numeric_functions_are_caught_under_any_name(how):
    source = ("import numpy as np\n"
              "import course.gradcheck as gc\n"
              "from course.gradcheck import numeric_gradient_array, check_backward\n"
              "from course.gradcheck import numeric_gradient_array as ng\n"
              "def fc_backward(dz, cache):\n"
              "    x, W, b = cache\n"
              f"    dW = {how}\n"
              "    return dz @ W.T, dW, dz.sum(0)\n")
    ns = {}
    exec(compile(source, "<student>", "exec"), ns)
    x, W, b, dz = affine_problem()
    with pytest.raises(GradientCheckError) as info:
        with derivation_guard("fc_backward", ns, forwards=("fc_forward",)):
            call_student(ns["fc_backward"], dz, (x, W, b))
    assert info.value.diagnosis == "numeric"
    assert str(info.value).startswith("fc_backward called course.gradcheck's ")
    assert "numeric gradient instead of the derivative" in str(info.value)


def test_the_namespace_is_restored_when_the_block_raises_and_the_error_is_kept():
    ns = _namespace()

    def broken(dz, cache):
        ns["fc_forward"](*cache)
        raise ValueError("shapes (4,3) and (5,3) not aligned")

    x, W, b, dz = affine_problem()
    with pytest.raises(StudentCodeError, match="broken.*raised ValueError"):
        with derivation_guard("fc_backward", ns, forwards=("fc_forward", "missing_forward")):
            call_student(broken, dz, (x, W, b))
    assert ns["fc_forward"] is _forward and "missing_forward" not in ns


def test_the_guard_counts_only_inside_its_block():
    x, W, b, dz = affine_problem()
    numeric_gradient_array(lambda W: x @ W + b, W, dz)         # before the block: not counted
    with derivation_guard("fc_backward", {}, forwards=()) as record:
        pass
    assert not record.numeric_calls
    assert "numeric" in gradcheck.DIAGNOSES
    assert {"StudentCodeError", "call_student", "check_derived", "derivation_guard"} <= set(gradcheck.__all__)


def test_a_numeric_gradient_is_stopped_at_the_call_that_decides_even_through_except_exception():
    ns = _namespace()
    x, W, b, dz = affine_problem()
    ran_after = []

    def swallowing(dz, cache):
        x, W, b = cache
        for _ in range(1000):   # a numeric gradient of a whole network: thousands of forward passes
            try:
                ns["fc_forward"](x, W, b)
            except Exception:   # a student's catch-all does not keep it going
                pass
            ran_after.append(1)
        return dz @ W.T, x.T @ dz, dz.sum(0)

    with pytest.raises(GradientCheckError) as info:
        with derivation_guard("fc_backward", ns, forwards="fc_forward") as record:
            call_student(swallowing, dz, (x, W, b))
    assert record.stopped and record.forward_calls == {"fc_forward": 3} and len(ran_after) == 2
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert ns["fc_forward"] is _forward

    with pytest.raises(GradientCheckError, match="numeric_gradient_array and was stopped there"):
        with derivation_guard("fc_backward", ns, forwards="fc_forward") as record:
            numeric_gradient_array(lambda W: x @ W + b, W.copy(), dz)
    assert record.stopped and record.numeric_calls["_partial_derivative"] == 0   # not one evaluation ran
    assert not gradcheck._GUARDS
