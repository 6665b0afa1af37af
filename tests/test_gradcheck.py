"""Tests of course/gradcheck.py, the numeric judge of every derivative in the course."""

import doctest
import pickle
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from course import gradcheck
from course.gradcheck import (
    GradientCheckError,
    check_backward,
    check_gradient,
    check_value,
    numeric_gradient,
    numeric_gradient_array,
    rel_error,
    sample_coordinates,
)

FAST = settings(max_examples=25, deadline=None)

small_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
values = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


def float_arrays(shape=small_shapes, elements=values):
    return hnp.arrays(np.float64, shape, elements=elements)


def away_from_zero(shape=small_shapes):
    """Arrays whose entries satisfy 0.5 <= |x| <= 3, so that wrong gradients are clearly wrong."""
    magnitudes = st.floats(0.5, 3)
    return hnp.arrays(np.float64, shape, elements=magnitudes).flatmap(
        lambda m: hnp.arrays(np.float64, m.shape, elements=st.sampled_from([-1.0, 1.0]))
        .map(lambda sign: np.asarray(sign * m)))


def diagnose(check, *args, **kwargs):
    """Run a check that must fail; return the GradientCheckError."""
    with pytest.raises(GradientCheckError) as info:
        check(*args, **kwargs)
    return info.value


def same_bits(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


# Scalar functions with known gradients: (f, gradient of f).
SCALAR_FUNCTIONS = {
    "sum x^2": (lambda x: np.sum(x ** 2), lambda x: 2 * x),
    "sum sin": (lambda x: np.sum(np.sin(x)), np.cos),
    "sum exp": (lambda x: np.sum(np.exp(x)), np.exp),
    "sum tanh": (lambda x: np.sum(np.tanh(x)), lambda x: 1 - np.tanh(x) ** 2),
}

# Elementwise functions with known derivatives, for the dout path.
ELEMENTWISE = {
    "exp": (np.exp, np.exp),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "square": (np.square, lambda x: 2 * x),
}


# ---------------------------------------------------------------------------
# Known derivatives are reproduced, and accepted
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("fname", SCALAR_FUNCTIONS)
@FAST
@given(x=float_arrays())
def test_numeric_gradient_of_known_scalar_functions(fname, x):
    f, grad = SCALAR_FUNCTIONS[fname]
    numeric = numeric_gradient(f, x)
    assert numeric.shape == x.shape and numeric.dtype == np.float64
    np.testing.assert_allclose(numeric, grad(x), rtol=1e-4, atol=1e-6)
    check_gradient("dx", grad(x), numeric)
    check_backward("dx", grad(x), f, x)


@FAST
@given(data=st.data(), n=st.integers(1, 5))
def test_quadratic_form(data, n):
    A = data.draw(float_arrays((n, n)))
    x = data.draw(float_arrays((n,)))
    f = lambda x: x @ A @ x
    grad = (A + A.T) @ x
    np.testing.assert_allclose(numeric_gradient(f, x), grad, rtol=1e-4, atol=1e-6)
    check_backward("dx", grad, f, x)


@FAST
@given(data=st.data(), n=st.integers(1, 4), d=st.integers(1, 4), h=st.integers(1, 4))
def test_matrix_product_through_dout(data, n, d, h):
    X = data.draw(float_arrays((n, d)))
    W = data.draw(float_arrays((d, h)))
    dout = data.draw(float_arrays((n, h)))
    dW = X.T @ dout
    np.testing.assert_allclose(numeric_gradient_array(lambda W: X @ W, W, dout), dW,
                               rtol=1e-4, atol=1e-6)
    check_backward("dW", dW, lambda W: X @ W, W, dout)
    check_backward("dX", dout @ W.T, lambda X: X @ W, X, dout)


@pytest.mark.parametrize("fname", ELEMENTWISE)
@FAST
@given(data=st.data(), shape=small_shapes)
def test_elementwise_through_dout(fname, data, shape):
    f, derivative = ELEMENTWISE[fname]
    x = data.draw(float_arrays(shape))
    dout = data.draw(float_arrays(shape))
    dx = dout * derivative(x)
    np.testing.assert_allclose(numeric_gradient_array(f, x, dout), dx, rtol=1e-4, atol=1e-6)
    check_backward("dx", dx, f, x, dout)


def test_numeric_gradient_at_coords_matches_full_gradient():
    x = np.random.default_rng(0).normal(size=(4, 5))
    f = lambda x: np.sum(np.sin(x) * x)
    full = numeric_gradient(f, x)
    coords = [(0, 0), (3, 4), (2, 1), (-1, 0)]
    at = numeric_gradient(f, x, coords=coords)
    assert at.shape == (4,)
    np.testing.assert_array_equal(at, [full[c] for c in coords])
    check_gradient("dx", np.sin(x) + x * np.cos(x), at, coords=coords)


def test_numeric_gradient_array_when_f_returns_a_view_of_x():
    x = np.arange(6.0)
    dout = np.arange(6.0) + 1
    np.testing.assert_allclose(numeric_gradient_array(lambda x: x[::-1], x, dout),
                               dout[::-1], rtol=1e-8)


def test_f_may_ignore_its_argument_and_read_x_through_a_closure():
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(numeric_gradient(lambda _: np.sum(W ** 2), W), 2 * W,
                               rtol=1e-6)


# ---------------------------------------------------------------------------
# Wrong gradients are rejected, by every check
# ---------------------------------------------------------------------------

def rejected_everywhere(analytic, f, x, dout=None):
    """Every way of checking rejects `analytic`; returns the diagnoses."""
    if dout is None:
        numeric = numeric_gradient(f, x)
        coords = sample_coordinates(x.shape, 3)
        numeric_at = numeric_gradient(f, x, coords=coords)
    else:
        numeric = numeric_gradient_array(f, x, dout)
        coords = sample_coordinates(x.shape, x.size)
        numeric_at = numeric_gradient_array(f, x, dout, coords=coords)
    return [
        diagnose(check_gradient, "dx", analytic, numeric).diagnosis,
        diagnose(check_gradient, "dx", analytic, numeric_at, coords=coords).diagnosis,
        diagnose(check_backward, "dx", analytic, f, x, dout).diagnosis,
        diagnose(check_backward, "dx", analytic, f, x, dout, max_coords=3).diagnosis,
    ]


@FAST
@given(x=away_from_zero())
def test_missing_factor_two_is_rejected(x):
    f = lambda x: np.sum(x ** 2)
    assert set(rejected_everywhere(x.copy(), f, x)) == {"factor"}


@FAST
@given(x=away_from_zero())
def test_flipped_sign_is_rejected(x):
    f = lambda x: np.sum(np.sin(x))
    assert set(rejected_everywhere(-np.cos(x), f, x)) == {"sign"}


@FAST
@given(x=away_from_zero(), where=st.integers(0, 10**6), delta=st.floats(0.01, 10))
def test_one_wrong_entry_is_rejected(x, where, delta):
    f = lambda x: np.sum(np.exp(x))
    wrong = np.array(np.exp(x))             # an array also when x is 0-d
    index = np.unravel_index(where % x.size, x.shape)
    wrong[index] += delta
    # Random samples may miss the wrong entry, so check all entries, or just it.
    full = [diagnose(check_gradient, "dx", wrong, numeric_gradient(f, x)).diagnosis,
            diagnose(check_backward, "dx", wrong, f, x, max_coords=None).diagnosis]
    coords = [tuple(int(i) for i in index)]
    just_it = diagnose(check_gradient, "dx", wrong, numeric_gradient(f, x, coords=coords),
                       coords=coords).diagnosis
    # One value compared with one value may look like a simple factor (2, 1/2, 2.5...).
    assert set(full) <= ({"mismatch"} if x.size > 1 else {"mismatch", "factor"})
    assert just_it in {"mismatch", "factor"}


@FAST
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 5), d=st.integers(2, 5))
def test_transposed_square_gradient_is_rejected(seed, n, d):
    rng = np.random.default_rng(seed)
    X, W, dout = rng.normal(size=(n, d)), rng.normal(size=(d, d)), rng.normal(size=(n, d))
    wrong = (X.T @ dout).T                  # the right shape, by accident of d x d
    f = lambda W: X @ W
    numeric = numeric_gradient_array(f, W, dout)
    assert diagnose(check_gradient, "dW", wrong, numeric).diagnosis == "mismatch"
    assert diagnose(check_backward, "dW", wrong, f, W, dout).diagnosis == "mismatch"


@FAST
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 4))
def test_quadratic_form_without_the_transpose_is_rejected(seed, n):
    A = np.random.default_rng(seed).normal(size=(n, n))
    x = np.random.default_rng(seed + 1).normal(size=n)
    with pytest.raises(GradientCheckError):
        check_backward("dx", 2 * A @ x, lambda x: x @ A @ x, x)   # A is not symmetric


# ---------------------------------------------------------------------------
# x is left exactly as it was
# ---------------------------------------------------------------------------

signed_values = st.one_of(values, st.sampled_from([0.0, -0.0, 1e-300, -1e300]))


@FAST
@given(x=float_arrays(elements=signed_values))
def test_x_is_restored_bit_for_bit(x):
    x.flat[0] = -0.0
    before = x.copy()
    numeric_gradient(lambda x: np.sum(np.sin(x)), x)
    assert same_bits(x, before) and np.array_equal(x, before)
    assert np.signbit(x.flat[0])
    numeric_gradient_array(np.sin, x, np.ones_like(x))
    assert same_bits(x, before)
    numeric_gradient(lambda x: np.sum(x), x, coords=sample_coordinates(x.shape, 2))
    assert same_bits(x, before)


class Boom(Exception):
    pass


def raising_on_call(k, result):
    """f that returns result(x) but raises Boom on its k-th call (counting from 1)."""
    calls = []

    def f(x):
        calls.append(1)
        if len(calls) == k:
            raise Boom
        return result(x)
    return f


@FAST
@given(x=float_arrays(elements=signed_values), k=st.integers(1, 200))
def test_x_is_restored_when_f_raises(x, k):
    x.flat[-1] = -0.0
    before = x.copy()
    k = 1 + (k - 1) % (2 * x.size)             # somewhere during the evaluation
    with pytest.raises(Boom):
        numeric_gradient(raising_on_call(k, np.sum), x)
    assert same_bits(x, before)
    with pytest.raises(Boom):
        numeric_gradient_array(raising_on_call(k, np.cos), x, np.ones_like(x))
    assert same_bits(x, before)


def test_x_is_restored_when_f_returns_the_wrong_kind_of_value():
    x = np.array([1.0, -0.0, 2.0])
    before = x.copy()
    with pytest.raises(ValueError):
        numeric_gradient(lambda x: x * 2, x)
    with pytest.raises(ValueError):
        numeric_gradient_array(lambda x: x * 2, x, np.ones(4))
    assert same_bits(x, before)


# ---------------------------------------------------------------------------
# Errors of use
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("bad_x", [
    np.arange(3), np.array([1, 2], dtype=np.int32), np.ones(2, dtype=np.float32),
    [1.0, 2.0], 3.0,
])
def test_x_must_be_a_float64_array(bad_x):
    with pytest.raises(TypeError, match="float64"):
        numeric_gradient(lambda x: np.sum(x), bad_x)
    with pytest.raises(TypeError, match="float64"):
        numeric_gradient_array(lambda x: x, bad_x, np.ones(2))
    with pytest.raises(TypeError, match="float64"):
        check_backward("dx", np.ones(2), lambda x: np.sum(x), bad_x)


def test_non_scalar_f_is_refused_with_a_pointer_to_the_array_version():
    with pytest.raises(ValueError, match="numeric_gradient_array"):
        numeric_gradient(lambda x: x ** 2, np.ones(3))


def test_a_size_one_array_counts_as_a_scalar():
    grad = numeric_gradient(lambda x: np.sum(x, keepdims=True), np.ones((2, 2)))
    np.testing.assert_allclose(grad, np.ones((2, 2)))


def test_dout_shape_must_match_the_output_shape():
    with pytest.raises(ValueError) as info:
        numeric_gradient_array(lambda x: x.T, np.ones((2, 3)), np.ones((2, 3)))
    assert "(3, 2)" in str(info.value) and "(2, 3)" in str(info.value)
    assert isinstance(info.value, GradientCheckError) and info.value.diagnosis == "shape"


def test_coords_outside_x_are_refused():
    with pytest.raises(IndexError):
        numeric_gradient(np.sum, np.ones((2, 2)), coords=[(2, 0)])
    with pytest.raises(IndexError):
        numeric_gradient(np.sum, np.ones((2, 2)), coords=[(0,)])


def test_check_gradient_with_coords_needs_one_numeric_value_per_coordinate():
    with pytest.raises(ValueError):
        check_gradient("dx", np.ones(4), np.ones(3), coords=[(0,), (1,)])


# ---------------------------------------------------------------------------
# One test per diagnosis
# ---------------------------------------------------------------------------

REF = np.array([[0.5, -1.0, 2.0],
                [1.5, 0.25, -0.75],
                [-2.0, 1.0, 0.3],
                [0.12, -0.4, 0.9]])       # a "numeric gradient" of shape (4, 3)


@pytest.mark.parametrize("answer", [None, "oops", {"dW": 1}, (np.ones(2), np.ones(3))])
def test_type(answer):
    error = diagnose(check_gradient, "dW", answer, REF)
    assert error.diagnosis == "type" and error.name == "dW"
    assert str(error).startswith("dW")
    if answer is None:
        assert str(error) == "dW is None: did you forget to return it?"


def test_shape():
    error = diagnose(check_gradient, "dW", np.ones((4, 2)), REF)
    assert error.diagnosis == "shape"
    assert "dW has shape (4, 2), expected (4, 3)" in str(error)


def test_transpose():
    error = diagnose(check_gradient, "dW", REF.T, REF)
    assert error.diagnosis == "transpose"
    assert "dW has shape (3, 4), expected (4, 3)" in str(error)
    assert "transpose" in str(error)


@pytest.mark.parametrize("expected_shape", [(3,), (1, 3)])
def test_sum_batch(expected_shape):
    error = diagnose(check_gradient, "db", np.ones((5, 3)), np.ones(expected_shape))
    assert error.diagnosis == "sum_batch"
    assert f"expected {expected_shape}" in str(error)
    assert "axis 0" in str(error) and "N samples" in str(error)


def test_nonfinite():
    answer = REF.copy()
    answer[2, 1] = np.nan
    answer[3, 0] = np.inf
    error = diagnose(check_gradient, "dW", answer, REF)
    assert error.diagnosis == "nonfinite"
    assert "dW[2, 1] is nan" in str(error)


def test_zero():
    error = diagnose(check_gradient, "dW", np.zeros_like(REF), REF)
    assert error.diagnosis == "zero"
    assert "all zeros" in str(error)


def test_sign():
    error = diagnose(check_gradient, "dW", -REF, REF)
    assert error.diagnosis == "sign"
    assert "times -1" in str(error) and "sign" in str(error)


def test_factor():
    error = diagnose(check_gradient, "dW", 2.5 * REF, REF)
    assert error.diagnosis == "factor"
    assert "times 2.5" in str(error) and "factor" in str(error)


@pytest.mark.parametrize("scale, words", [(5, "times 5,"), (1 / 5, "times 0.2,")])
def test_batch_factor(scale, words):
    error = diagnose(check_gradient, "dW", scale * REF, REF, batch_size=5)
    assert error.diagnosis == "batch_factor"
    assert words in str(error)
    assert "N = 5" in str(error) and "batch size" in str(error) and "1/N" in str(error)


def test_a_batch_factor_hint_replaces_the_question_about_the_loss():
    """06's conv_backward db: a layer has no loss; its hint says where the 1/N belongs instead."""
    hint = "a layer's backward only passes the upstream gradient on"
    error = diagnose(check_gradient, "db", REF / 5, REF, batch_size=5, hints={"batch_factor": hint})
    assert error.diagnosis == "batch_factor"
    assert str(error).endswith(f"(N = 5 is the batch size): {hint}"), str(error)
    assert "is the loss a mean" not in str(error)


def test_factor_without_batch_size_is_just_a_factor():
    assert diagnose(check_gradient, "dW", 5 * REF, REF).diagnosis == "factor"
    assert diagnose(check_gradient, "dW", 3 * REF, REF, batch_size=5).diagnosis == "factor"


def test_mismatch_names_the_worst_entry_and_both_values():
    answer = REF.copy()
    answer[3, 0] = 0.53                     # off by 0.41: the worst
    answer[0, 1] = -1.1                     # off by 0.1
    error = diagnose(check_gradient, "dW", answer, REF)
    assert error.diagnosis == "mismatch"
    assert str(error).startswith("dW[3, 0] = 0.53 but the numeric gradient is 0.12")
    assert "2 of 12 entries differ" in str(error)


def test_mismatch_shows_enough_digits_to_see_the_difference():
    error = diagnose(check_gradient, "dx", np.array([1.23456, 2.0]),
                     np.array([1.23489, 2.0]))
    assert "dx[0] = 1.23456 but the numeric gradient is 1.23489" in str(error)


def test_a_single_wrong_value_is_a_mismatch_not_a_strange_factor():
    error = diagnose(check_gradient, "dx", 0.53, 0.12)
    assert error.diagnosis == "mismatch"
    assert str(error) == "dx = 0.53 but the numeric gradient is 0.12."
    assert diagnose(check_gradient, "dx", 1.0, 0.5).diagnosis == "factor"


def test_the_pass_rule_is_atol_plus_rtol_times_numeric():
    numeric = np.array([100.0, 0.0])
    check_gradient("dx", numeric + [0.009, 1e-6], numeric, atol=1e-6, rtol=1e-4)
    error = diagnose(check_gradient, "dx", numeric + [0.0, 2e-6], numeric)
    assert error.diagnosis == "mismatch"
    check_gradient("dx", numeric + [0.0, 2e-6], numeric, atol=1e-5)


def test_hints_are_appended_to_the_message():
    hint = "dW = X^T dz, not dz^T X."
    error = diagnose(check_gradient, "dW", REF.T, REF, hints={"transpose": hint})
    assert str(error).endswith(" " + hint)
    error = diagnose(check_gradient, "dW", REF + 1, REF, hints={"mismatch": "(eq. 25)"})
    assert str(error).endswith(" (eq. 25)")
    # Specific diagnoses fall back to the hint of their general kind.
    error = diagnose(check_gradient, "dW", REF.T, REF, hints={"shape": "(eq. 7)"})
    assert str(error).endswith(" (eq. 7)")
    # ... but a hint for another kind is not shown.
    error = diagnose(check_gradient, "dW", -REF, REF, hints={"factor": "(eq. 9)"})
    assert "eq. 9" not in str(error)


def test_expected_changes_the_words_for_the_reference():
    error = diagnose(check_gradient, "dW", -REF, REF, expected="the gradient from eq. (4)")
    assert "the gradient from eq. (4)" in str(error)


def test_messages_never_contain_source_code():
    failing = [
        (check_gradient, ("dW", None, REF), {}),
        (check_gradient, ("dW", REF.T, REF), {}),
        (check_gradient, ("db", np.ones((5, 3)), np.ones(3)), {}),
        (check_gradient, ("dW", np.full_like(REF, np.nan), REF), {}),
        (check_gradient, ("dW", np.zeros_like(REF), REF), {}),
        (check_gradient, ("dW", -REF, REF), {}),
        (check_gradient, ("dW", 2 * REF, REF), {}),
        (check_gradient, ("dW", 4 * REF, REF), {"batch_size": 4}),
        (check_gradient, ("dW", REF + 1, REF), {}),
        (check_value, ("out", REF + 1, REF), {}),
        (check_backward, ("dx", np.ones(3), lambda x: np.sum(x ** 2), np.ones(3)), {}),
    ]
    for check, args, kwargs in failing:
        message = str(diagnose(check, *args, **kwargs))
        for source in ("def ", "assert", "lambda", "diagnose(", "check_", "\n"):
            assert source not in message, (source, message)
        assert 0 < len(message) < 300


def test_the_error_is_an_assertion_error_and_can_be_pickled():
    error = diagnose(check_gradient, "dW", -REF, REF)
    assert isinstance(error, AssertionError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.name, copy.diagnosis, str(copy)) == ("dW", "sign", str(error))


def test_check_gradient_returns_none_on_success():
    assert check_gradient("dW", REF + 1e-9, REF) is None
    assert check_backward("dx", 2 * REF, lambda x: np.sum(x ** 2), REF.copy()) is None


# ---------------------------------------------------------------------------
# check_value
# ---------------------------------------------------------------------------

def test_check_value():
    check_value("out", REF + 1e-10, REF)
    error = diagnose(check_value, "out", REF.copy() * [1, 1, 2], REF)
    assert error.diagnosis == "mismatch"
    assert "but the expected value is" in str(error)
    assert "numeric" not in str(error)
    assert diagnose(check_value, "out", -REF, REF).diagnosis == "sign"
    assert diagnose(check_value, "out", REF.T, REF).diagnosis == "transpose"
    assert diagnose(check_value, "loss", None, 1.0).diagnosis == "type"
    assert diagnose(check_value, "loss", 2.0, 1.0).diagnosis == "factor"


def test_check_value_accepts_matching_infinities_only():
    check_value("logp", np.array([-np.inf, 1.0]), np.array([-np.inf, 1.0]))
    error = diagnose(check_value, "logp", np.array([np.inf, 1.0]), np.array([-np.inf, 1.0]))
    assert error.diagnosis == "nonfinite" and "logp[0] is inf" in str(error)
    error = diagnose(check_value, "logp", np.array([0.0, 1.0]), np.array([-np.inf, 1.0]))
    assert error.diagnosis == "mismatch"


# ---------------------------------------------------------------------------
# Sampling and check_backward on large arrays
# ---------------------------------------------------------------------------

@FAST
@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=12),
       max_coords=st.integers(1, 60), seed=st.integers(0, 2**32 - 1))
def test_sample_coordinates(shape, max_coords, seed):
    coords = sample_coordinates(shape, max_coords, seed)
    assert coords == sample_coordinates(shape, max_coords, seed)       # deterministic
    assert len(coords) == min(max_coords, int(np.prod(shape)))         # bounded
    assert len(set(coords)) == len(coords)                             # distinct
    for c in coords:                                                   # within bounds
        assert len(c) == len(shape)
        assert all(isinstance(i, int) and 0 <= i < n for i, n in zip(c, shape))
        np.zeros(shape)[c]


def test_sample_coordinates_takes_everything_when_small():
    assert sample_coordinates((2, 3), max_coords=6) == list(np.ndindex(2, 3))
    assert sample_coordinates(4) == [(0,), (1,), (2,), (3,)]
    assert sample_coordinates(()) == [()]
    assert len(sample_coordinates((50, 50), max_coords=None)) == 2500
    assert len(sample_coordinates((50, 50))) == gradcheck.DEFAULT_MAX_COORDS
    assert sample_coordinates((50, 50), seed=1) != sample_coordinates((50, 50), seed=2)


class Counted:
    """f(x) = X @ x, counting its calls."""

    def __init__(self, X):
        self.X, self.calls = X, 0

    def __call__(self, W):
        self.calls += 1
        return self.X @ W


@pytest.fixture
def large_problem():
    rng = np.random.default_rng(0)
    X, W, dout = rng.normal(size=(6, 30)), rng.normal(size=(30, 40)), rng.normal(size=(6, 40))
    return X, W, dout


@pytest.mark.parametrize("max_coords", [1, 7, 40])
def test_check_backward_calls_f_a_bounded_number_of_times(large_problem, max_coords):
    X, W, dout = large_problem
    f = Counted(X)
    check_backward("dW", X.T @ dout, f, W, dout, max_coords=max_coords)
    assert 0 < f.calls <= 2 * max_coords

    f = Counted(X)
    error = diagnose(check_backward, "dW", X.T @ dout + 0.01, f, W, dout,
                     max_coords=max_coords)
    assert f.calls <= 2 * max_coords + 1          # one more, f(x), to look for kinks
    assert error.diagnosis == "mismatch"
    assert f"of {min(max_coords, W.size)} checked entries differ" in str(error)


def test_mismatch_reports_a_real_index_of_the_full_array(large_problem):
    X, W, dout = large_problem
    f = lambda W: X @ W
    wrong = X.T @ dout + np.random.default_rng(1).uniform(0.1, 1, size=W.shape)
    error = diagnose(check_backward, "dW", wrong, f, W, dout)
    match = re.match(r"dW\[(\d+), (\d+)\] = (\S+) but the numeric gradient is (\S+);",
                     str(error))
    assert match, str(error)
    index = (int(match[1]), int(match[2]))
    assert index in sample_coordinates(W.shape)
    assert float(match[3]) == pytest.approx(wrong[index], rel=1e-3)
    full = numeric_gradient_array(f, W, dout)
    assert float(match[4]) == pytest.approx(full[index], rel=1e-3)


def test_a_single_wrong_sampled_entry_is_found_at_its_index(large_problem):
    X, W, dout = large_problem
    target = sample_coordinates(W.shape, seed=3)[7]
    wrong = X.T @ dout
    wrong[target] += 1.0
    error = diagnose(check_backward, "dW", wrong, lambda W: X @ W, W, dout, seed=3)
    assert str(error).startswith(f"dW[{target[0]}, {target[1]}] = ")
    assert "1 of 40 checked entries differ" in str(error)


def test_shape_is_diagnosed_before_any_call_of_f(large_problem):
    X, W, dout = large_problem
    for answer, diagnosis in [(None, "type"), ((X.T @ dout).T, "transpose"),
                              (np.ones((5, 30, 40)), "sum_batch"), (np.ones(3), "shape")]:
        f = Counted(X)
        assert diagnose(check_backward, "dW", answer, f, W, dout).diagnosis == diagnosis
        assert f.calls == 0


def test_nonfinite_anywhere_is_caught_even_outside_the_sample(large_problem):
    X, W, dout = large_problem
    wrong = X.T @ dout
    sampled = set(sample_coordinates(W.shape))
    outside = next(c for c in np.ndindex(W.shape) if c not in sampled)
    wrong[outside] = np.nan
    error = diagnose(check_backward, "dW", wrong, lambda W: X @ W, W, dout)
    assert error.diagnosis == "nonfinite"
    assert f"dW[{outside[0]}, {outside[1]}] is nan" in str(error)


def test_check_gradient_with_coords_diagnoses_a_too_small_answer():
    coords = [(0, 0), (3, 2)]
    error = diagnose(check_gradient, "dW", np.ones((2, 2)), np.ones(2), coords=coords)
    assert error.diagnosis == "shape"


# ---------------------------------------------------------------------------
# rel_error and the examples in the docstrings
# ---------------------------------------------------------------------------

def test_rel_error_on_known_values():
    assert rel_error(1.0, 1.0) == 0.0
    assert rel_error(1.0, 2.0) == pytest.approx(1 / 3)
    assert rel_error(0.0, 0.0) == 0.0
    assert rel_error(1e-9, 0.0) == pytest.approx(0.1)       # the 1e-8 floor
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 3.0])) == pytest.approx(0.2)
    assert rel_error(np.array([-1.0]), np.array([1.0])) == 1.0
    assert isinstance(rel_error(np.ones(3), np.ones(3)), float)


def test_docstring_examples():
    result = doctest.testmod(gradcheck, extraglobs={"np": np})
    assert result.attempted > 0 and result.failed == 0
