"""Numerical gradient checking: the judge of every derivative in this course.

Backpropagation gives you an *analytic* gradient: a formula you derived by hand
and coded up.  This module computes the same gradient *numerically*, with
central differences, and compares the two.  If they agree, your derivation and
your code are (almost certainly) right.  If they don't, the checks below try to
tell you *how* they differ: a wrong shape, a missing transpose, a sign, a
constant factor such as the batch size N, ...

The central difference of a scalar function f at x, along coordinate i, is

    df/dx_i  ~=  (f(x + h e_i) - f(x - h e_i)) / (2 h)

where e_i is the i-th unit vector.  Its error is O(h^2), so with h = 1e-5 it is
accurate to roughly 1e-10 (plus float64 round-off, about 1e-11 * |f| / h).

Typical use (shapes in comments)::

    import numpy as np
    from course.gradcheck import check_backward

    X = np.random.randn(5, 3)                  # (N, D)
    W = np.random.randn(3, 4)                  # (D, H)
    dout = np.random.randn(5, 4)               # (N, H), upstream gradient
    dW = X.T @ dout                            # (D, H), your analytic gradient
    check_backward("dW", dW, lambda W: X @ W, W, dout)   # silent if right

Public functions
----------------
numeric_gradient(f, x)               gradient of a scalar-valued f, shape of x
numeric_gradient_array(f, x, dout)   gradient of sum(f(x) * dout), shape of x
rel_error(a, b)                      CS231n's max relative error, a float
sample_coordinates(shape)            a bounded, deterministic set of indices
check_gradient(name, analytic, numeric)   compare, raise GradientCheckError
check_value(name, got, expected)     the same for forward values
check_backward(name, analytic, f, x, dout=None)   all of the above in one call
close(a, b)                          the pass rule, |a - b| <= ATOL + RTOL |b|, elementwise
central_difference(f, x, h)          (f(x + h) - f(x - h)) / 2h for a function of one number

For hidden tests (they judge that a backward pass *derives* its gradient):

call_student(fn, *args, **kwargs)    call the student's function; an exception
                                     becomes a StudentCodeError naming it
check_derived(name, analytic, exact) compare with an exact reference at a
                                     tolerance central differences cannot meet
derivation_guard(function_name, namespace, forwards=...)
                                     a block in which a numeric gradient or
                                     many calls of the forward pass fail

The errors (GradientCheckError; ForwardOutputError when f itself returns a
wrong shape, naming the student's function; StudentCodeError when the
student's code raises) are AssertionErrors, and IPython shows them without
any frame of course/: the student sees their own code and the message.

Only numpy is needed.  The style follows CS231n's gradient_check.py and
Karpathy's micrograd.
"""

import contextlib
import functools
import inspect
import math
import os
import types
from collections import Counter

import numpy as np

from course.i18n import _, ngettext, separated

__all__ = [
    "GradientCheckError",
    "ForwardOutputError",
    "StudentCodeError",
    "call_student",
    "check_derived",
    "derivation_guard",
    "numeric_gradient",
    "numeric_gradient_array",
    "rel_error",
    "sample_coordinates",
    "check_gradient",
    "check_value",
    "check_backward",
    "ATOL",
    "RTOL",
    "close",
    "central_difference",
]

DEFAULT_MAX_COORDS = 40

# The pass rule of a gradient, |analytic - numeric| <= ATOL + RTOL |numeric| in float64 (``close``): the
# tolerances of check_gradient and check_backward, and of every widget's red mark (course/widgets/judge.py).
ATOL = 1e-6
RTOL = 1e-4

# How often each numeric differentiation function of this module has run, ever
# (derivation_guard compares the counts before and after its block).  The
# functions count themselves through this module's globals, so they are counted
# under whatever name a student imported them.
_NUMERIC_USAGE = Counter()
# The derivation_guard blocks running now, innermost last.
_GUARDS = []


class _GuardStop(BaseException):
    """Raised inside a derivation_guard block at the first numeric differentiation, or at the call of a forward
    beyond the number allowed: the verdict is known, and a numeric gradient of a whole network would otherwise run
    for a minute before being judged. A BaseException, so that call_student and a student's ``except Exception``
    let it through to the guard, which turns it into its GradientCheckError."""


def _count_numeric(function):
    """Count a run of the numeric differentiation ``function``; stop a derivation_guard block that is running."""
    __tracebackhide__ = True
    _NUMERIC_USAGE[function] += 1
    if _GUARDS:
        raise _GuardStop(function)


# The public names, outermost first: the one a message names.
_NUMERIC_FUNCTIONS = ("check_backward", "numeric_gradient_array", "numeric_gradient",
                      "_central_differences", "_partial_derivative")

# The kinds of mistakes that check_gradient/check_value can diagnose.
DIAGNOSES = (
    "type", "shape", "transpose", "sum_batch", "nonfinite", "zero",
    "sign", "factor", "batch_factor", "mismatch", "numeric", "kink", "inplace",
)

# A more specific diagnosis uses the hint of its general kind if it has none.
_HINT_FALLBACK = {"transpose": "shape", "sum_batch": "shape", "batch_factor": "factor"}


_COURSE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep + "course" + os.sep


class _StudentFacingError(AssertionError):
    """An error meant for a student: IPython shows it without the frames of course/.

    IPython honours ``__tracebackhide__`` except in the frame that raised, which
    is always one of this module's; so these errors render their own traceback
    (IPython's ``_render_traceback_`` protocol): IPython's usual one, with every
    frame of a file under course/ left out, also in the chained exceptions.
    The student's own frames stay.
    """

    def __str__(self):
        return self.message

    def _render_traceback_(self):
        __tracebackhide__ = True
        from IPython import get_ipython   # only IPython calls this
        shell = get_ipython()
        try:
            _trim_course_frames(self)
        except Exception:                 # never lose the message over its frames
            pass
        return shell.InteractiveTB.structured_traceback(type(self), self, self.__traceback__)


def _trim_course_frames(error, _seen=None):
    """Drop the frames of course/ from error's traceback and from its causes and contexts."""
    __tracebackhide__ = True
    seen = set() if _seen is None else _seen
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        error.__traceback__ = _without_course_frames(error.__traceback__)
        if error.__cause__ is not None:
            _trim_course_frames(error.__cause__, seen)
        error = error.__context__


def _without_course_frames(tb):
    __tracebackhide__ = True
    kept = []
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(_COURSE_DIR):
            kept.append(tb)
        tb = tb.tb_next
    chain = None
    for entry in reversed(kept):
        chain = types.TracebackType(chain, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return chain


class GradientCheckError(_StudentFacingError):
    """A gradient (or value) failed its check.

    Attributes
    ----------
    name : str
        The name of the checked quantity, e.g. "dW".
    diagnosis : str
        What kind of mistake it looks like, one of
        "type", "shape", "transpose", "sum_batch", "nonfinite", "zero",
        "sign", "factor", "batch_factor", "mismatch", "numeric" (the gradient
        has the precision of a finite difference, not of a formula; or the
        function computed one: see check_derived and derivation_guard).
    message : str
        The student-facing explanation; also what str(error) returns.
    """

    def __init__(self, name, diagnosis, message):
        super().__init__(message)
        self.name = name
        self.diagnosis = diagnosis
        self.message = message

    def __reduce__(self):  # keep the error picklable (e.g. for parallel test runners)
        return (type(self), (self.name, self.diagnosis, self.message))


class StudentCodeError(_StudentFacingError):
    """The student's function raised an exception (see call_student).

    Attributes
    ----------
    function : str
        The name of the student's function, e.g. "conv_forward".
    error : BaseException or None
        The exception it raised (also the __cause__ of this error).
    message : str
        "conv_forward(x: (2, 3, 5, 4), ...) raised ValueError: ..."
    """

    diagnosis = "raised"

    def __init__(self, function, error, message):
        super().__init__(message)
        self.function = function
        self.error = error
        self.message = message

    def __reduce__(self):
        return (type(self), (self.function, None, self.message))


class ForwardOutputError(GradientCheckError, ValueError):
    """The function being differentiated returned the wrong shape or kind of value.

    A GradientCheckError (diagnosis "shape" or "type") whose name is the
    student's function, e.g. "conv_forward"; also a ValueError, which is what
    numeric_gradient(_array) raised for it before.
    """


# ---------------------------------------------------------------------------
# Numerical gradients
# ---------------------------------------------------------------------------

def numeric_gradient(f, x, h=1e-5, *, coords=None, forward=None, hints=None):
    """Numerical gradient of a scalar-valued function, by central differences.

    Parameters
    ----------
    f : callable
        Called as f(x); must return a scalar (a Python number or an array of
        size 1).  f may also ignore its argument and read x through a closure,
        because x is perturbed in place.
    x : np.ndarray, float64, any shape S
        The point at which to differentiate.  It is perturbed IN PLACE, one
        coordinate at a time, and every coordinate is restored exactly
        (bit for bit) afterwards, even if f raises.
    h : float
        The step of the central difference.
    coords : sequence of index tuples, optional
        Only evaluate these coordinates (see sample_coordinates); costs
        2 * len(coords) calls of f instead of 2 * x.size.
    forward : str or function, optional
        The student's function that f evaluates, named in messages.  By
        default it is found in f: the functions of the notebook that f calls
        (``lambda v: softmax_loss(v, y)[0]`` -> softmax_loss).
    hints : dict, optional
        {"forward_shape": sentence} is appended when f returns a wrong shape.

    Returns
    -------
    grad : np.ndarray, float64
        Shape S; or, with coords, shape (len(coords),) with
        grad[k] = df/dx[coords[k]].

    Raises
    ------
    TypeError   if x is not a float64 numpy array.
    ForwardOutputError (a GradientCheckError and a ValueError)
                if f returns something that is not a scalar.

    >>> x = np.array([1.0, -2.0, 3.0])
    >>> np.round(numeric_gradient(lambda x: np.sum(x ** 2), x), 6)
    array([ 2., -4.,  6.])
    """
    __tracebackhide__ = True
    _count_numeric("numeric_gradient")
    return _central_differences(_scalar_function(f, None, forward, hints), x, h, coords)


def numeric_gradient_array(f, x, dout, h=1e-5, *, coords=None, forward=None, hints=None):
    """Numerical gradient of an array-valued function through an upstream gradient.

    This is the gradient of the scalar  sum(f(x) * dout)  with respect to x,
    i.e. exactly what a backward pass receiving `dout` must return
    (CS231n's eval_numerical_gradient_array).

    Parameters
    ----------
    f : callable
        Called as f(x); returns an array of shape T.
    x : np.ndarray, float64, shape S
        Perturbed in place and restored exactly, as in numeric_gradient.
    dout : array_like, shape T
        The upstream gradient dL/df(x).
    h : float
        The step of the central difference.
    coords : sequence of index tuples, optional
        Only evaluate these coordinates (see numeric_gradient).
    forward, hints :
        As in numeric_gradient: who is named, and {"forward_shape": ...},
        when f(x) does not have the shape of dout.

    Returns
    -------
    grad : np.ndarray, float64
        Shape S; or (len(coords),) with coords.

    Raises
    ------
    TypeError   if x is not a float64 numpy array.
    ForwardOutputError (a GradientCheckError and a ValueError)
                if f(x).shape differs from dout.shape, e.g. "conv_forward
                returned an array of shape (2, 3, 2, 1), but the upstream
                gradient has shape (2, 3, 3, 2) (axis 2: 2 instead of 3, ...)".

    >>> X = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> W = np.array([[0.5], [-1.0]])
    >>> dout = np.array([[1.0], [10.0]])
    >>> np.round(numeric_gradient_array(lambda W: X @ W, W, dout), 6)   # X.T @ dout
    array([[31.],
           [42.]])
    """
    __tracebackhide__ = True
    _count_numeric("numeric_gradient_array")
    dout = np.asarray(dout, dtype=np.float64)
    return _central_differences(_scalar_function(f, dout, forward, hints), x, h, coords)


def _scalar_function(f, dout, forward, hints, student_errors=False):
    """f as a function returning a float: sum(f(x) * dout), or f(x) itself when dout is None.

    A wrong kind or shape of f(x) is a ForwardOutputError naming the student's
    function; with student_errors, so is any exception of f (a StudentCodeError).
    """
    __tracebackhide__ = True
    who = []

    def names():
        __tracebackhide__ = True
        if not who:
            who.append(_student_functions(f, forward))
        return who[0]

    def scalar_f(x):
        __tracebackhide__ = True
        if student_errors:
            try:
                out = f(x)
            except Exception as error:
                subject = _subject(names())
                raise StudentCodeError(
                    names()[0] if names() else "f", error,
                    _shorten(_("{subject} raised {error_type}: {error} (the gradient check called it on x of "
                               "shape {shape})").format(subject=subject, error_type=type(error).__name__,
                                                        error=error, shape=tuple(x.shape)), 600)) from error
        else:
            out = f(x)
        # Reduce at once: f(x) may be a view of x that changes with the next step.
        if dout is None:
            return _as_scalar(out, names, hints)
        return float(np.sum(_as_output(out, dout.shape, names, hints) * dout))

    return scalar_f


def _central_differences(scalar_f, x, h, coords, record=None):
    """Central differences of scalar_f at x, at all coordinates or at coords.

    With a dict `record`, record[idx] = (f(x + h e_idx), f(x - h e_idx)).
    """
    __tracebackhide__ = True
    _count_numeric("_central_differences")
    _require_float64_array(x)
    if not (np.isfinite(h) and h > 0):
        raise ValueError(_("the step h must be a positive number, got {h!r}").format(h=h))
    if coords is None:
        grad = np.zeros(x.shape, dtype=np.float64)
        for idx in np.ndindex(x.shape):
            grad[idx] = _partial_derivative(scalar_f, x, idx, h, record)
        return grad
    coords = _normalize_coords(coords, x.shape)
    return np.array([_partial_derivative(scalar_f, x, idx, h, record) for idx in coords],
                    dtype=np.float64)


def _partial_derivative(scalar_f, x, idx, h, record=None):
    """(f(x + h e_idx) - f(x - h e_idx)) / 2h, leaving x exactly as it was."""
    __tracebackhide__ = True
    _count_numeric("_partial_derivative")
    old = x[idx]  # a copy of the float64 value, bit for bit (also -0.0 and nan)
    try:
        x[idx] = old + h
        f_plus = scalar_f(x)
        x[idx] = old - h
        f_minus = scalar_f(x)
    finally:
        x[idx] = old  # restore exactly, even when f raised
    if record is not None:
        record[tuple(idx)] = (f_plus, f_minus)
    return (f_plus - f_minus) / (2 * h)


def central_difference(f, x, h=1e-5):
    """(f(x + h) - f(x - h)) / (2 h): the central difference of a function of one number, the formula every
    numeric derivative of the course is made of (course.graph measures its local gradients with it).

    >>> round(central_difference(lambda t: t ** 3, 2.0, 1e-2), 6)
    12.0001
    """
    __tracebackhide__ = True
    return (f(x + h) - f(x - h)) / (2 * h)


def _require_float64_array(x):
    __tracebackhide__ = True
    if not isinstance(x, np.ndarray):
        kind = type(x)
        kind = kind.__name__ if kind.__module__ == "builtins" else (
            f"{kind.__module__}.{kind.__name__}")
        raise TypeError(
            _("x must be a float64 numpy array, got an object of type {kind}; "
              "use np.array(x, dtype=np.float64)").format(kind=kind))
    if x.dtype != np.float64:
        raise TypeError(
            _("x must be a float64 numpy array, got dtype {dtype}: x is perturbed "
              "in place by a small h, which would be silently rounded away or "
              "imprecise; use x.astype(np.float64)").format(dtype=x.dtype))


def _array_or_none(value):
    """np.asarray(value), or None when numpy cannot make an array of it."""
    __tracebackhide__ = True
    try:
        return np.asarray(value)
    except (TypeError, ValueError):
        return None


def _as_scalar(value, names=lambda: [], hints=None):
    __tracebackhide__ = True
    value = _as_array(value, names, hints)
    if value.size != 1:
        who = names()
        if not who:
            message = _("f must return a scalar, but returned an array of shape {shape}; "
                        "for an array-valued f use numeric_gradient_array(f, x, dout)").format(shape=value.shape)
        else:
            message = _("{subject} returned an array of shape {shape}, not a single "
                        "number: the checked quantity is a scalar (is the loss a mean or a sum "
                        "over the samples?).").format(subject=_subject(who), shape=value.shape)
        _fail_forward(who, "shape", message, hints)
    return float(value.reshape(()))


def _as_array(out, names, hints):
    """f(x) as a numeric array, or a "type" ForwardOutputError naming the student's function."""
    __tracebackhide__ = True
    who = None
    if isinstance(out, tuple) and any(isinstance(item, np.ndarray) for item in out):
        who = names()
        _fail_forward(who, "type", _("{subject} returned a tuple of {count} items, not one array: does it return "
                                     "(out, cache) where only out is checked?").format(subject=_subject(who),
                                                                                        count=len(out)), hints)
    array = _array_or_none(out)
    if array is None or array.dtype.kind not in "biufc":
        who = names()
        _fail_forward(who, "type", _("{subject} returned an object of type {kind}, not a numeric array: did it "
                                     "forget a return?").format(subject=_subject(who), kind=type(out).__name__)
                      if out is None or array is None or array.dtype.kind == "O" else
                      _("{subject} returned an array of dtype {dtype}, not numbers.").format(
                          subject=_subject(who), dtype=array.dtype),
                      hints)
    return array


def _as_output(out, shape, names, hints):
    """f(x) as an array of the upstream gradient's shape, or a "shape" ForwardOutputError."""
    __tracebackhide__ = True
    out = _as_array(out, names, hints)
    if out.shape == shape:
        return out
    who = names()
    got, want = tuple(out.shape), tuple(shape)
    if not who:
        _fail_forward(who, "shape", _("f(x) has shape {got} but the upstream gradient dout has "
                                      "shape {want}; they must be the same.").format(got=got, want=want), hints)
    if len(got) == len(want):
        # TRANSLATORS: one item of a list in parentheses, "(axis 0: 2 instead of 3; axis 2: 5 instead of 4)".
        axes = [_("axis {axis}: {got} instead of {want}").format(axis=i, got=a, want=b)
                for i, (a, b) in enumerate(zip(got, want)) if a != b]
        detail = separated(axes)
    else:
        detail = ngettext("{got} axes instead of {want}", "{got} axes instead of {want}", len(got)).format(
            got=len(got), want=len(want))
    # TRANSLATORS: joins the names of several functions: "a or b or c".
    culprit = who[0] if len(who) == 1 else _(" or ").join(who)
    if got == want[1:]:
        message = _("{subject} returned an array of shape {got}, but the upstream gradient has shape {want} "
                    "({detail}): that is the shape of ONE sample -- if the function returns just out instead of "
                    "(out, cache), taking [0] of it gives its first sample: the output of {culprit} has the wrong "
                    "shape, so no gradient can be checked through it yet; fix {culprit} first.")
    else:
        message = _("{subject} returned an array of shape {got}, but the upstream gradient has shape {want} "
                    "({detail}): the output of {culprit} has the wrong shape, so no gradient can be checked "
                    "through it yet; fix {culprit} first.")
    _fail_forward(who, "shape", message.format(subject=_subject(who), got=got, want=want, detail=detail,
                                               culprit=culprit), hints)


def _fail_forward(who, diagnosis, message, hints):
    __tracebackhide__ = True
    hint = (hints or {}).get("forward_shape")
    if hint and who:
        message = f"{message} {hint}"
    raise ForwardOutputError(who[0] if len(who) == 1 else "f", diagnosis, message)


def _subject(who):
    """How a message names the function whose output is judged."""
    __tracebackhide__ = True
    if not who:
        return _("the checked function")
    if len(who) == 1:
        return who[0]
    return _("the checked function (it calls {functions} and {last})").format(functions=", ".join(who[:-1]),
                                                                               last=who[-1])


def _student_functions(f, forward=None):
    """The names of the student's functions that f evaluates, e.g. ["conv_forward"].

    forward (a name or a function) wins.  Else: f itself if it is a public
    function; for a lambda or a private helper (a name starting with "_", as
    the course's own helpers in a notebook), the public functions of f's
    module that its code refers to (through globals, closures or attributes
    such as model.loss), looking one level into private helpers.
    """
    __tracebackhide__ = True
    if forward is not None:
        return [forward if isinstance(forward, str) else _function_name(forward)]
    names = []
    _collect_functions(f, names, depth=0)
    return names


def _collect_functions(f, names, depth):
    __tracebackhide__ = True
    while isinstance(f, functools.partial):
        f = f.func
    if isinstance(f, types.MethodType):
        if not f.__name__.startswith("_"):
            _add(names, f.__name__)
        return
    if not isinstance(f, types.FunctionType) or _is_course_function(f):
        return
    if f.__name__ != "<lambda>" and not f.__name__.startswith("_"):
        _add(names, f.__name__)
        return
    if depth > 2:
        return
    scope = dict(f.__globals__)
    if f.__closure__:
        for var, cell in zip(f.__code__.co_freevars, f.__closure__):
            try:
                scope[var] = cell.cell_contents
            except ValueError:       # an empty cell
                pass
    referred = _code_names(f.__code__)
    for name in referred:
        if name not in scope:
            continue
        value = scope[name]
        if isinstance(value, (types.FunctionType, functools.partial, types.MethodType)):
            _collect_functions(value, names, depth + 1)
        elif not isinstance(value, (types.ModuleType, type, np.ndarray)):
            for attr in referred:     # model.loss_and_gradients
                method = getattr(type(value), attr, None)
                if isinstance(method, types.FunctionType) and not attr.startswith("_") \
                        and not _is_course_function(method):
                    _add(names, f"{name}.{attr}")


def _code_names(code):
    __tracebackhide__ = True
    names = list(code.co_names) + list(code.co_freevars)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names += _code_names(const)
    return list(dict.fromkeys(names))


def _is_course_function(f):
    __tracebackhide__ = True
    return getattr(f, "__code__", None) is not None and f.__code__.co_filename.startswith(_COURSE_DIR)


def _add(names, name):
    __tracebackhide__ = True
    if name not in names:
        names.append(name)


def _normalize_coords(coords, shape):
    """Coordinates as a list of tuples of non-negative Python ints within shape.

    A plain integer is accepted as the index of a 1-D array.
    Raises IndexError for an index that does not fit the shape.
    """
    __tracebackhide__ = True
    normalized = []
    for coord in coords:
        coord = (coord,) if np.ndim(coord) == 0 else tuple(coord)
        if len(coord) != len(shape) or not all(
                -n <= int(i) < n for i, n in zip(coord, shape)):
            raise IndexError(_("index {index} does not exist in an array of shape {shape}").format(index=coord,
                                                                                                  shape=shape))
        normalized.append(tuple(int(i) % n for i, n in zip(coord, shape)))
    return normalized


# ---------------------------------------------------------------------------
# Small helpers for students
# ---------------------------------------------------------------------------

def rel_error(a, b):
    """Maximum relative error max |a - b| / max(1e-8, |a| + |b|), as a float.

    a and b are scalars or arrays of the same (or broadcastable) shape.
    Below about 1e-7 a gradient is usually right; above 1e-2 usually wrong.

    >>> rel_error(1.0, 1.0)
    0.0
    >>> rel_error(np.array([1.0, 2.0]), np.array([1.0, 3.0]))
    0.2
    """
    __tracebackhide__ = True
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    errors = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))
    return float(np.max(errors)) if errors.size else 0.0


def sample_coordinates(shape, max_coords=DEFAULT_MAX_COORDS, seed=0):
    """Index tuples at which to check a gradient of an array of this shape.

    All indices (in C order) when prod(shape) <= max_coords; otherwise
    max_coords distinct indices drawn with np.random.default_rng(seed) and
    sorted.  The result depends only on (shape, max_coords, seed), and a check
    at these coordinates costs 2 * len(result) calls of f.

    Parameters
    ----------
    shape : tuple of int (or an int for 1-D)
    max_coords : int >= 1, or None for "all coordinates"
    seed : int

    Returns
    -------
    list of tuples of int, each usable as array[index].

    >>> sample_coordinates((2, 2))
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    >>> len(sample_coordinates((100, 100), max_coords=5))
    5
    """
    __tracebackhide__ = True
    shape = (int(shape),) if np.ndim(shape) == 0 else tuple(int(n) for n in shape)
    if max_coords is not None and max_coords < 1:
        raise ValueError(_("max_coords must be at least 1, got {max_coords}").format(max_coords=max_coords))
    total = math.prod(shape)
    if max_coords is None or total <= max_coords:
        return list(np.ndindex(shape))
    rng = np.random.default_rng(seed)
    flat = np.sort(rng.choice(total, size=max_coords, replace=False))
    return [tuple(int(i) for i in np.unravel_index(k, shape)) for k in flat]


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

def check_gradient(name, analytic, numeric, *, atol=ATOL, rtol=RTOL,
                   batch_size=None, coords=None, hints=None,
                   expected=None):
    """Compare an analytic gradient with a numeric one; raise if they differ.

    The check passes when |analytic - numeric| <= atol + rtol * |numeric|
    for every entry (in float64), as in torch.autograd.gradcheck.  Otherwise
    GradientCheckError is raised, with a `diagnosis` and a message that says
    what the mistake looks like.  Diagnoses, tried in this order:

    "type"        analytic is None or not a numeric array
    "shape"       wrong shape ("transpose": its transpose fits;
                  "sum_batch": summing over axis 0 would fit)
    "nonfinite"   nan or inf in analytic
    "zero"        analytic is all zeros but numeric is not
    "sign"        analytic == -numeric
    "factor"      analytic == k * numeric for one constant k
                  ("batch_factor": k is the batch size N or 1/N)
    "mismatch"    anything else; names the worst entry (the largest
                  |analytic - numeric| among the failing ones), both values,
                  and how many entries differ

    Parameters
    ----------
    name : str
        How to call the gradient in messages, e.g. "dW".
    analytic : array_like, shape S
        Your gradient.
    numeric : array_like
        Shape S; or, with coords, shape (len(coords),) holding the numeric
        gradient at those coordinates (as numeric_gradient(..., coords=...)
        returns).
    atol, rtol : float
        Absolute and relative tolerance.
    batch_size : int, optional
        N; enables the "batch_factor" diagnosis.
    coords : sequence of index tuples, optional
        Compare only analytic[coords[k]] with numeric[k].
    hints : dict, optional
        diagnosis -> an extra sentence appended to the message, e.g.
        {"transpose": "dW = X^T dz, not dz^T X."}.  "transpose" and
        "sum_batch" fall back to the "shape" hint, "batch_factor" to "factor".
    expected : str, optional
        The words used for the reference in messages (default: "the numeric
        gradient", in the course's language).

    Returns None when the check passes.
    """
    __tracebackhide__ = True
    if expected is None:
        expected = _("the numeric gradient")
    numeric = np.asarray(numeric, dtype=np.float64)
    if coords is None:
        _compare(name, analytic, numeric, atol=atol, rtol=rtol, batch_size=batch_size,
                 coords=None, expected_shape=numeric.shape, hints=hints,
                 expected=expected)
        return
    if numeric.shape != (len(coords),):
        raise ValueError(
            _("with coords, numeric must have shape ({count},) (one value per "
              "coordinate), got {shape}").format(count=len(coords), shape=numeric.shape))
    _compare(name, analytic, numeric, atol=atol, rtol=rtol, batch_size=batch_size,
             coords=coords, expected_shape=None, hints=hints, expected=expected)


def check_value(name, got, expected, *, atol=1e-8, rtol=1e-6, hints=None):
    """Compare a forward value with the expected one; raise if they differ.

    Same rule and diagnoses as check_gradient (without "batch_factor"):
    |got - expected| <= atol + rtol * |expected| everywhere, else
    GradientCheckError.  Non-finite expected entries (e.g. -inf) must be
    matched exactly.

    Parameters
    ----------
    name : str            e.g. "out" or "loss"
    got : array_like      your value, shape S
    expected : array_like the reference value, shape S
    atol, rtol : float    tolerances
    hints : dict, optional  diagnosis -> extra sentence (see check_gradient)
    """
    __tracebackhide__ = True
    expected_value = np.asarray(expected, dtype=np.float64)
    _compare(name, got, expected_value, atol=atol, rtol=rtol, batch_size=None,
             coords=None, expected_shape=expected_value.shape, hints=hints,
             expected=_("the expected value"))


def check_backward(name, analytic, f, x, dout=None, *, h=1e-5,
                   max_coords=DEFAULT_MAX_COORDS, seed=0, atol=ATOL, rtol=RTOL,
                   batch_size=None, hints=None, forward=None):
    """Check an analytic gradient against central differences, in one call.

    Diagnoses the type and shape of `analytic` first (no call of f), then
    computes the numeric gradient at sample_coordinates(x.shape, max_coords,
    seed) -- so f is called at most 2 * max_coords times, plus once more when
    the check fails -- and compares with check_gradient.

    Besides check_gradient's diagnoses, about f itself (the student's forward
    function, named in the message: see `forward`):

    "shape"/"type"  f(x) does not have dout's shape, or is not an array
                    (a ForwardOutputError): "conv_forward returned an array
                    of shape (2, 3, 2, 1), but the upstream gradient has
                    shape (2, 3, 3, 2) (axis 2: ...)"
    "inplace"       f changed x while it was evaluated
    "kink"          an entry that differs sits where f's one-sided slopes
                    differ: "x[0, 2] = 0 sits exactly at a kink of the
                    forward function (slope 0 on one side, -2.1 on the
                    other) ..."; often an input a forward zeroed in place
    and an exception raised by f becomes a StudentCodeError naming it.

    Parameters
    ----------
    name : str
        e.g. "dW".
    analytic : array_like, shape S
        Your gradient with respect to x.
    f : callable
        f(x) -> a scalar when dout is None, else an array of dout's shape T.
    x : np.ndarray, float64, shape S
        Perturbed in place and restored exactly.
    dout : array_like, shape T, optional
        Upstream gradient; the checked gradient is that of sum(f(x) * dout).
    h, max_coords, seed :
        Step of the central difference; how many coordinates to check at
        most (None: all); seed of the sampling.
    atol, rtol, batch_size, hints :
        As in check_gradient; hints may also hold "forward_shape" (appended
        to a wrong output shape of f), "kink" and "inplace".
    forward : str or function, optional
        The student's function f evaluates, for messages; found in f by
        default (see numeric_gradient).

    Returns None when the check passes, else raises GradientCheckError.
    """
    __tracebackhide__ = True
    _count_numeric("check_backward")
    _require_float64_array(x)
    got = _as_answer(name, analytic, hints)
    _check_shape(name, got, x.shape, hints)

    coords = sample_coordinates(x.shape, max_coords, seed)
    scalar_f = _scalar_function(f, None if dout is None else np.asarray(dout, dtype=np.float64),
                                forward, hints, student_errors=True)
    before = x.copy()
    record = {}
    changes = []
    numeric = _central_differences(_watching(scalar_f, changes), x, h, coords, record)
    # Said first and alone: an input changed in place makes the numeric gradient (and any kink) meaningless.
    _check_unchanged(name, x, before, f, forward, hints, changes)
    try:
        _compare(name, got, numeric, atol=atol, rtol=rtol, batch_size=batch_size,
                 coords=coords, expected_shape=x.shape, hints=hints,
                 expected=_("the numeric gradient"))
    except GradientCheckError as error:
        if error.diagnosis in ("zero", "sign", "factor", "batch_factor", "mismatch"):
            _check_kinks(name, got, numeric, coords, record, scalar_f, x, h, atol, rtol, hints)
        raise


def _variable(name):
    """The checked variable of a gradient's name: "dW" -> "W", "dx (x of shape (3,))" -> "x"."""
    __tracebackhide__ = True
    import re
    match = re.match(r"d([A-Za-z_]\w*)", name)
    return match[1] if match else "x"


def _watching(scalar_f, changes):
    """scalar_f, noting in `changes` the first call that changed its argument.

    A forward that shifts its input in place (t -= t.max(...)) can leave x as it
    found it once _partial_derivative restores the perturbed entry, yet every
    value it returned after the first call was computed at a moved point: only
    a comparison around each call sees it.
    """
    __tracebackhide__ = True

    def watched(v):
        __tracebackhide__ = True
        if changes:
            return scalar_f(v)
        copy = v.copy()
        try:
            return scalar_f(v)
        finally:
            changed = ~_same(v, copy)
            if changed.any():
                idx = tuple(int(i) for i in np.argwhere(changed)[0])
                changes.append((idx, copy[idx], v[idx], int(changed.sum())))

    return watched


def _check_unchanged(name, x, before, f, forward, hints, changes=()):
    """An "inplace" failure if f changed x (restored first) while the check evaluated it."""
    __tracebackhide__ = True
    changed = ~_same(x, before)
    if changed.any():
        idx = tuple(int(i) for i in np.argwhere(changed)[0])
        was, now, count = before[idx], x[idx], int(changed.sum())
        x[...] = before
    elif changes:
        idx, was, now, count = changes[0]
    else:
        return
    who = _student_functions(f, forward)
    var = _variable(name)
    was_s, now_s = _fmt_pair(was, now)
    _fail(name, "inplace",
          ngettext("{subject} changed its input in place: while the gradient check evaluated it, {where} went "
                   "from {was} to {now} ({count} of {size} entries changed). A forward function must leave its "
                   "input as it found it (the caller still needs it, and so does the backward pass): build a new "
                   "array instead of writing into the one you received.",
                   "{subject} changed its input in place: while the gradient check evaluated it, {where} went "
                   "from {was} to {now} ({count} of {size} entries changed). A forward function must leave its "
                   "input as it found it (the caller still needs it, and so does the backward pass): build a new "
                   "array instead of writing into the one you received.", count).format(
              subject=_subject(who), where=_where(var, idx), was=was_s, now=now_s, count=count, size=x.size),
          hints)


def _check_kinks(name, got, numeric, coords, record, scalar_f, x, h, atol, rtol, hints):
    """A "kink" failure if a differing entry sits where f's one-sided slopes differ."""
    __tracebackhide__ = True
    got_c = np.array([got[c] for c in coords], dtype=np.float64)
    wrong = [coords[k] for k in np.flatnonzero(~close(got_c, numeric, atol, rtol))]
    if not wrong:
        return
    try:
        f0 = scalar_f(x)
    except Exception:            # nothing to add to the first diagnosis
        return
    kinks = []
    for idx in wrong:
        f_plus, f_minus = record[idx]
        right, left = (f_plus - f0) / h, (f0 - f_minus) / h
        jump = abs(right - left)
        if np.isfinite(jump) and jump > 100 * atol and jump > 0.05 * (abs(right) + abs(left)):
            kinks.append((idx, left, right))
    if not kinks:
        return
    idx, left, right = kinks[0]
    var = _where(_variable(name), idx)
    # TRANSLATORS: {some} is empty, or " (1 of the 2 entries that differ sit at kinks; the others do not)".
    some = "" if len(kinks) == len(wrong) else " " + ngettext(
        "({kinks} of the {wrong} entries that differ sit at kinks; the others do not)",
        "({kinks} of the {wrong} entries that differ sit at kinks; the others do not)", len(kinks)).format(
        kinks=len(kinks), wrong=len(wrong))
    _fail(name, "kink",
          _("{where} = {value} sits exactly at a kink of the forward function (slope {left} on one side, {right} "
            "on the other): the numeric gradient there is their average and means nothing{some}. If the test's "
            "input was not at a kink, your forward function may have changed its input in place.").format(
              where=var, value=_fmt(x[idx]), left=_fmt(left), right=_fmt(right), some=some), hints)


# ---------------------------------------------------------------------------
# For hidden tests: call the student's code, and judge that it derives
# ---------------------------------------------------------------------------

def call_student(fn, *args, **kwargs):
    """Call a student's function; turn an exception into a readable failure.

    Returns fn(*args, **kwargs).  If fn raises, raises StudentCodeError (an
    AssertionError, so the test fails rather than errors) whose message says
    which function raised what, on which inputs, e.g.::

        conv_forward(x: (2, 3, 5, 4), w: (3, 3, 3, 3), b: (3,), conv_param:
        {'stride': 1, 'pad': 1}) raised ValueError: operands could not be
        broadcast together with shapes (2,3,5) (3,4)

    Arrays are shown by their shape (and dtype when it is not float64),
    numbers by their value, tuples item by item.  The error is chained to the
    student's exception (``raise ... from error``), so the traceback still
    shows the student's own lines.

    Use in a hidden test::

        _out, _cache = call_student(conv_forward, _x, _w, _b, _conv_param)

    KeyboardInterrupt and SystemExit are not caught.
    """
    __tracebackhide__ = True
    name = _function_name(fn)
    if not callable(fn):
        raise StudentCodeError(name, None, _("{name} is not a function: it is {what}; did a later cell reuse its "
                                             "name?").format(name=name, what=_describe(fn)))
    try:
        return fn(*args, **kwargs)
    except Exception as error:
        call = f"{name}({_describe_arguments(fn, args, kwargs)})"
        text = str(error)
        if isinstance(error, NotImplementedError) and not text:
            message = _("{call} raised NotImplementedError: it is not written yet.").format(call=call)
        else:
            message = (_("{call} raised {error_type}: {text}") if text else _("{call} raised {error_type}")).format(
                call=call, error_type=type(error).__name__, text=text)
            message = _shorten(message, 600)
        raise StudentCodeError(name, error, message) from error


def check_derived(name, analytic, exact, *, rtol=1e-11, atol=0.0, hints=None,
                  batch_size=None):
    """Compare a backward result with an EXACT reference, at float64 precision.

    A hidden test computes `exact` itself, with an independent analytic
    formula (X.T @ dz, dz.sum(0), a loop, ...).  The check passes when, for
    every entry,

        |analytic - exact| <= atol + rtol * (|exact| + max|exact|)

    With the default rtol = 1e-11 any exact evaluation in float64 passes:
    matmul, einsum, python loops, another summation order, softmax with or
    without the row maximum subtracted (they differ by ~1e-16 relative per
    term).  A central-difference gradient does not, on the inputs below.

    Diagnoses: as check_gradient (type, shape, transpose, sum_batch,
    nonfinite, zero, sign, factor, batch_factor, mismatch), judged at the
    usual numeric tolerance (NUMERIC_BAND relative to max|exact|); and

    "numeric"   analytic is within that usual tolerance of exact but not
                within rtol: it has the precision of a numeric (finite-
                difference) gradient, not of a derived formula.

    Parameters
    ----------
    name : str                 e.g. "dW"
    analytic : array_like      the student's gradient, shape S
    exact : array_like         the reference, shape S, computed exactly
    rtol, atol : float         see the rule above
    hints : dict, optional     diagnosis -> extra sentence (see check_gradient)
    batch_size : int, optional enables "batch_factor"

    Inputs a hidden test should use
    -------------------------------
    A central difference (f(x+h) - f(x-h)) / 2h carries a round-off error of
    about eps * |f| / h (eps = 2.2e-16) and a step error: x + h is rounded to
    the float64 grid, whose spacing is eps * |x|.  So give the problem a scale
    that a derived formula does not feel:

    - a large offset in the forward's OUTPUT, e.g. a bias b = 1e3 + randn for
      an affine layer (dW = x.T dz and dx = dz W.T do not depend on b, but
      |f| grows by 1e3);
    - and/or a large offset in the differentiated INPUT itself, e.g. logits
      x + 1e3 for a softmax (invariant to the shift) or W + 1e3: x +- h is
      then rounded by ~1e-13, a relative error of ~1e-8 in the step 2h.

    Measured (numpy 2.4, float64, h = 1e-5, numeric_gradient_array or
    numeric_gradient through a random dout; error = max |numeric - exact| /
    max |exact|; the check fails above about 1e-11 to 2e-11; the inputs are
    those of tests/test_gradcheck_derivation.py, which measures them again):

    problem                                    unit scale        with offset
    affine x (4, 5) W (5, 3), b = 1e3 + randn  dW 8.6e-12 passes dW 2.8e-08
                                               dx 9.3e-12 passes dx 2.8e-08
    affine, W + 1e3 (no bias)                                    dW 1.7e-08
    softmax-CE mean loss, logits (4, 6) + 1e3  dx 1.4e-10        dx 2.5e-09
    conv (2,3,5,4) * (3,3,3,3), b = 1e3        dw 4.7e-11        dw 1.3e-08
    max-pool 2x2 of (2, 3, 4, 6) + 1e3         dx 2.7e-11        dx 3.5e-08

    So at unit scale a numeric gradient of an affine layer PASSES (a linear
    function has no O(h^2) error); with the offsets every one fails by a
    factor 100 to 3000, while matmul, einsum and python loops differ from
    each other by about 1e-16.  Do not go beyond offsets of about 1e4: with
    b = 1e6 the numeric error (2e-5) leaves the "numeric" band and is
    reported as a plain mismatch.  A student who writes central differences
    with a large step beats any tolerance on a linear layer (h = 1 at
    b = 1e3: 2.8e-13); that is what derivation_guard (the calls of the
    forward) and the scan of autograder/scan.py are for.  Note that float32
    arithmetic, or a small constant added to avoid a division by zero
    (log(p + 1e-8)), also lands in "numeric"; the message says so.
    """
    __tracebackhide__ = True
    exact = np.asarray(exact, dtype=np.float64)
    got = _as_answer(name, analytic, hints)
    _check_shape(name, got, exact.shape, hints)
    finite = np.isfinite(exact)
    scale = float(np.max(np.abs(exact[finite]))) if finite.any() else 0.0
    if np.all(close(got, exact, atol + rtol * scale, rtol)):
        return
    band = max(NUMERIC_BAND, 10 * rtol)
    # Outside the usual numeric tolerance: the usual diagnoses, against "the exact gradient".
    _compare(name, got, exact, atol=atol + band * scale, rtol=band, batch_size=batch_size,
             coords=None, expected_shape=exact.shape, hints=hints,
             expected=_("the exact gradient"))
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.where(finite, np.abs(got - exact), 0.0)
    k = int(np.argmax(error))
    idx = tuple(int(i) for i in np.unravel_index(k, exact.shape))
    relative = float(error.reshape(-1)[k]) / scale if scale else float("inf")
    a, e = _fmt_pair(got.reshape(-1)[k], exact.reshape(-1)[k])
    _fail(name, "numeric",
          _("{name} agrees with the exact gradient only to {relative:.1e} of its size ({where} = {got}, exact "
            "{exact}): the precision of a numeric (finite-difference) gradient, not of a derived formula, which "
            "float64 computes to about 1e-15 (required: {rtol:.0e}). A backward pass must compute the derivative "
            "from its formula, not by perturbing the inputs of the forward pass. If you did derive it, look for "
            "float32 arithmetic or a small constant added somewhere (an epsilon in a log or a division).").format(
              name=name, relative=relative, where=_where(name, idx), got=a, exact=e, rtol=rtol),
          hints)


# check_derived: beyond this relative error (of max|exact|) a result is not "numeric" but wrong.
NUMERIC_BAND = 1e-4


class _GuardRecord:
    """What happened inside a derivation_guard block (for tests and messages)."""

    def __init__(self, function_name, forwards):
        self.function_name = function_name
        self.forward_calls = {name: 0 for name in forwards}
        self.numeric_calls = Counter()
        self.stopped = False     # the block was stopped at the first call that decided the verdict

    def __repr__(self):
        return (f"<derivation_guard {self.function_name}: forward calls "
                f"{self.forward_calls}, numeric calls {dict(self.numeric_calls)}>")


@contextlib.contextmanager
def derivation_guard(function_name, namespace, forwards=(), max_forward_calls=2):
    """A block in which the student's backward must derive, not differentiate numerically.

    Inside the block:

    - every name of `forwards` found in `namespace` (normally the notebook's
      globals()) is replaced by a wrapper that counts its calls; the originals
      are put back on exit, also when the block raises;
    - every use of this module's numeric differentiation (numeric_gradient,
      numeric_gradient_array, check_backward, _central_differences ...) is
      counted, under whatever name the student imported it.

    GradientCheckError(function_name, "numeric", ...) is raised if a numeric
    function ran, or if a forward was called more than max_forward_calls
    times, e.g.::

        fc_backward called fc_forward 3 times (at most 2 allowed), and was
        stopped there: it computes a numeric gradient of the forward pass
        instead of the derivative; ...

    The student's code is stopped at that call (see _GuardStop): the
    thousands of forward passes of a numeric gradient are not waited for.

    When the block raises, that exception propagates unchanged.  The context
    value records the counts (.forward_calls, .numeric_calls).

    Use in a hidden test -- only the student's call inside the block::

        with derivation_guard("fc_backward", globals(), forwards=("fc_forward",)):
            _dx, _dW, _db = call_student(fc_backward, _dz, _cache)
        check_derived("dW", _dW, _x.T @ _dz)

    Parameters
    ----------
    function_name : str          the guarded function, for messages
    namespace : dict             where the forwards are looked up and wrapped
    forwards : str or sequence of str
    max_forward_calls : int      calls allowed per forward (a backward may
                                 recompute its forward once or twice)
    """
    __tracebackhide__ = True
    if isinstance(forwards, str):
        forwards = (forwards,)
    originals = {name: namespace[name] for name in forwards
                 if name in namespace and callable(namespace[name])}
    record = _GuardRecord(function_name, originals)
    for name, original in originals.items():
        namespace[name] = _counting(original, name, record.forward_calls, max_forward_calls)
    before = Counter(_NUMERIC_USAGE)
    _GUARDS.append(record)
    try:
        yield record
    except _GuardStop:
        record.stopped = True
    finally:
        _GUARDS.remove(record)
        for name, original in originals.items():
            namespace[name] = original
        record.numeric_calls = _NUMERIC_USAGE - before
    try:
        _judge_derivation(record, max_forward_calls)
    except GradientCheckError as error:
        error.__suppress_context__ = True   # the _GuardStop it replaces says nothing to the student
        raise


def _counting(fn, name, counts, max_calls):
    """``fn``, counting its calls in ``counts[name]``; the call beyond ``max_calls`` stops the guard's block."""
    @functools.wraps(fn)
    def counted(*args, **kwargs):
        __tracebackhide__ = True
        counts[name] += 1
        if counts[name] > max_calls:
            raise _GuardStop(name)
        return fn(*args, **kwargs)
    return counted


def _judge_derivation(record, max_forward_calls):
    __tracebackhide__ = True
    name = record.function_name
    used = [f for f in _NUMERIC_FUNCTIONS if record.numeric_calls[f]]
    if used:
        evaluations = 2 * record.numeric_calls["_partial_derivative"]
        first = used[0]
        times = record.numeric_calls[first]
        if record.stopped:
            what = _("{name} called course.gradcheck's {function} and was stopped there: it computes a numeric "
                     "gradient instead of the derivative.")
        else:
            what = ngettext("{name} called course.gradcheck's {function} ({times}, {evaluations} evaluation of the "
                            "function it differentiates): it computes a numeric gradient instead of the derivative.",
                            "{name} called course.gradcheck's {function} ({times}, {evaluations} evaluations of the "
                            "function it differentiates): it computes a numeric gradient instead of the derivative.",
                            evaluations)
        raise GradientCheckError(
            name, "numeric",
            what.format(name=name, function=first, times=_times(times), evaluations=evaluations) + " " +
            _("A numeric gradient is what judges your derivative, not a derivative: compute the gradient from the "
              "formula you derived, with the values saved in the cache (and remove any check from inside the "
              "function)."))
    for forward, count in record.forward_calls.items():
        if count > max_forward_calls:
            if record.stopped:
                what = _("{name} called {forward} {times} (at most {allowed} allowed), and was stopped there: it "
                         "computes a numeric gradient of the forward pass instead of the derivative.")
            else:
                what = _("{name} called {forward} {times} (at most {allowed} allowed): it computes a numeric "
                         "gradient of the forward pass instead of the derivative.")
            raise GradientCheckError(
                name, "numeric",
                what.format(name=name, forward=forward, times=_times(count), allowed=max_forward_calls) + " " +
                _("A backward pass applies the derived formulas to the upstream gradient and the values saved in "
                  "the cache; it needs no new call of {forward}.").format(forward=forward))


def _times(n):
    __tracebackhide__ = True
    # TRANSLATORS: how many times a function was called: "once", "3 times".
    return ngettext("once", "{n} times", n).format(n=n)


def _function_name(fn):
    __tracebackhide__ = True
    name = getattr(fn, "__name__", None)
    return name if isinstance(name, str) else type(fn).__name__


def _describe_arguments(fn, args, kwargs):
    """'x: (2, 3), w: (3, 4), b: (4,)' -- names from fn's signature when it has one."""
    __tracebackhide__ = True
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        parts = [_describe(a) for a in args] + [f"{k}={_describe(v)}" for k, v in kwargs.items()]
        return ", ".join(parts)
    parts = []
    for pname, value in bound.arguments.items():
        kind = bound.signature.parameters[pname].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            parts += [_describe(v) for v in value]
        elif kind is inspect.Parameter.VAR_KEYWORD:
            parts += [f"{k}: {_describe(v)}" for k, v in value.items()]
        else:
            parts.append(f"{pname}: {_describe(value)}")
    return ", ".join(parts)


def _describe(value, depth=0):
    """An argument in a few characters: arrays by shape, numbers by value."""
    __tracebackhide__ = True
    if isinstance(value, np.ndarray):
        shape = str(tuple(int(n) for n in value.shape))
        return shape if value.dtype == np.float64 else f"{shape} {value.dtype}"
    if value is None or isinstance(value, (bool, int, np.integer)):
        return repr(value) if not isinstance(value, np.integer) else str(int(value))
    if isinstance(value, (float, np.floating)):
        return _fmt(value)
    if isinstance(value, str):
        return repr(_shorten(value, 30))
    if isinstance(value, (tuple, list)) and depth < 2:
        items = [_describe(v, depth + 1) for v in value[:6]] + (["..."] if len(value) > 6 else [])
        if isinstance(value, list):
            return "[" + ", ".join(items) + "]"
        return "(" + ", ".join(items) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict) and depth < 2 and len(value) <= 6:
        return "{" + ", ".join(f"{k!r}: {_describe(v, depth + 1)}" for k, v in value.items()) + "}"
    # TRANSLATORS: an argument that is neither an array, a number nor a string: "a dict", "a Graph".
    return _("a {kind}").format(kind=type(value).__name__)


def _shorten(text, limit):
    __tracebackhide__ = True
    text = str(text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


# ---------------------------------------------------------------------------
# The diagnosis, step by step
# ---------------------------------------------------------------------------

def _compare(name, answer, reference, *, atol, rtol, batch_size, coords,
             expected_shape, hints, expected):
    """Shared core of the checks.

    reference is the full reference array (coords None) or, with coords, the
    1-D array of reference values at those coordinates.
    """
    __tracebackhide__ = True
    got = _as_answer(name, answer, hints)
    if expected_shape is not None:
        _check_shape(name, got, expected_shape, hints)
    if coords is None:
        got_c = got.reshape(-1)                 # the compared entries, flat
    else:
        coords = _coords_in_answer(name, got, coords, hints)
        got_c = np.array([got[c] for c in coords], dtype=np.float64)
    ref_c = reference.reshape(-1)               # in the same order as got_c
    where = _Locator(name, got.shape, coords)   # position in got_c -> "dW[2, 1]"

    _check_finite(name, got, got_c, ref_c, where, hints)
    if np.all(close(got_c, ref_c, atol, rtol)):
        return
    _check_zero(name, got, ref_c, where, hints, expected)
    if np.all(np.isfinite(ref_c)):
        _check_sign(name, got_c, ref_c, atol, rtol, hints, expected)
        _check_factor(name, got_c, ref_c, atol, rtol, batch_size, hints, expected)
    _report_mismatch(name, got, got_c, ref_c, where, atol, rtol, hints, expected)


class _Locator:
    """Maps a position k among the compared entries to its index in the answer."""

    def __init__(self, name, shape, coords):
        self.name, self.shape, self.coords = name, shape, coords

    def index(self, k):
        __tracebackhide__ = True
        if self.coords is not None:
            return self.coords[k]
        return tuple(int(i) for i in np.unravel_index(k, self.shape))

    def __call__(self, k):
        return _where(self.name, self.index(k))


def _as_answer(name, answer, hints):
    """The answer as a float64 array, or a "type" failure."""
    __tracebackhide__ = True
    if answer is None:
        _fail(name, "type", _("{name} is None: did you forget to return it?").format(name=name), hints)
    if isinstance(answer, tuple) and any(isinstance(item, np.ndarray) for item in answer):
        _fail(name, "type",
              _("{name} is a tuple of {count} items, not one array: did you "
                "return several things together (return dW, db)?").format(name=name, count=len(answer)), hints)
    got = _array_or_none(answer)
    if got is None or got.dtype.kind not in "biuf":
        if isinstance(answer, np.ndarray):
            message = _("{name} should be a numeric array, but it is of type {kind} with dtype {dtype}.")
        else:
            message = _("{name} should be a numeric array, but it is of type {kind}.")
        _fail(name, "type", message.format(name=name, kind=type(answer).__name__,
                                           dtype=getattr(got, "dtype", None)), hints)
    return got.astype(np.float64)


def _check_shape(name, got, expected_shape, hints):
    __tracebackhide__ = True
    expected_shape = tuple(expected_shape)
    if got.shape == expected_shape:
        return
    shapes = dict(name=name, got=got.shape, want=expected_shape)
    if got.ndim >= 2 and got.shape[::-1] == expected_shape:
        _fail(name, "transpose",
              _("{name} has shape {got}, expected {want}; its transpose has the right shape: a product taken in the "
                "wrong order, or a missing .T?").format(**shapes), hints)
    if (got.ndim == 2 and len(expected_shape) == 2 and expected_shape[0] == 1 and expected_shape[1] > 1
            and got.shape == (expected_shape[1], expected_shape[1])):
        _fail(name, "shape",
              _("{name} has shape {got}, expected {want}: a row of shape {want} and a column of shape {column} "
                "broadcast to {got} when added or multiplied entry by entry (a transposed vector, such as b.T?); "
                "over a batch of N = {n} samples, a sum over the samples (axis 0) would also give {want}").format(
                    column=(expected_shape[1], 1), n=expected_shape[1], **shapes), hints)
    if got.ndim >= 1 and got.shape[0] != 1 and expected_shape in (
            got.shape[1:], (1,) + got.shape[1:]):
        _fail(name, "sum_batch",
              _("{name} has shape {got}, expected {want}; a sum over the batch axis (axis 0) would give the "
                "expected shape: did you forget to sum over the N samples?").format(**shapes), hints)
    if got.size == math.prod(expected_shape):
        if got.ndim < len(expected_shape) and 1 in expected_shape:
            message = _("{name} has shape {got}, expected {want} (the same entries with an axis of length 1 "
                        "dropped: a sum or mean without keepdims=True, or a reshape?).")
        else:
            message = _("{name} has shape {got}, expected {want} (the same number of entries: check your "
                        "reshapes).")
    else:
        message = _("{name} has shape {got}, expected {want}.")
    _fail(name, "shape", message.format(**shapes), hints)


def _coords_in_answer(name, got, coords, hints):
    """The coordinates, normalized; a "shape" failure if one is not in got."""
    __tracebackhide__ = True
    coords = list(coords)
    for coord in coords:
        try:
            _normalize_coords([coord], got.shape)
        except IndexError:
            coord = (coord,) if np.ndim(coord) == 0 else tuple(coord)
            _fail(name, "shape", _("{name} has shape {shape}, which has no entry {index} to compare.").format(
                name=name, shape=got.shape, index=_index(coord)), hints)
    return _normalize_coords(coords, got.shape)


def _check_finite(name, got, got_c, ref_c, where, hints):
    """nan/inf anywhere in the answer, unless the reference has the same there."""
    __tracebackhide__ = True
    nonfinite = ~np.isfinite(got)
    if not nonfinite.any():
        return
    for k in np.flatnonzero(~np.isfinite(got_c) & _same(got_c, ref_c)):
        nonfinite[where.index(k)] = False   # e.g. an expected -inf, matched
    if not nonfinite.any():
        return
    first = tuple(int(i) for i in np.argwhere(nonfinite)[0])
    count = int(nonfinite.sum())
    _fail(name, "nonfinite",
          ngettext("{where} is {value} ({count} of {size} entries are nan or inf): look for a division by zero, a "
                   "log of 0 or an overflowing exp.",
                   "{where} is {value} ({count} of {size} entries are nan or inf): look for a division by zero, a "
                   "log of 0 or an overflowing exp.", count).format(
              where=_where(name, first), value=got[first], count=count, size=got.size),
          hints)


def _check_zero(name, got, ref_c, where, hints, expected):
    __tracebackhide__ = True
    if np.any(got != 0):
        return
    k = int(np.argmax(np.where(np.isnan(ref_c), np.inf, np.abs(ref_c))))
    _fail(name, "zero",
          _("{name} is all zeros, but {expected} is not (it is {value} at {where}): did you compute the gradient "
            "but not store or accumulate it?").format(name=name, expected=expected, value=_fmt(ref_c[k]),
                                                      where=where(k)),
          hints)


def _check_sign(name, got_c, ref_c, atol, rtol, hints, expected):
    __tracebackhide__ = True
    if np.all(close(-got_c, ref_c, atol, rtol)):
        _fail_sign(name, hints, expected)


def _fail_sign(name, hints, expected):
    __tracebackhide__ = True
    _fail(name, "sign", _("{name} is {expected} times -1: a sign error (a lost or "
                          "extra minus somewhere?).").format(name=name, expected=expected), hints)


def _check_factor(name, got_c, ref_c, atol, rtol, batch_size, hints, expected):
    """analytic ~= k * numeric for one constant k (least squares), k != 1."""
    __tracebackhide__ = True
    with np.errstate(all="ignore"):
        k = float(np.dot(got_c, ref_c) / np.dot(ref_c, ref_c))
    if not np.isfinite(k) or k == 0 or math.isclose(k, 1, rel_tol=1e-3):
        return
    # A slightly looser tolerance: k itself carries the numeric error.
    if not np.all(close(got_c, k * ref_c, 10 * atol * max(1.0, abs(k)), 10 * rtol)):
        return
    if math.isclose(k, -1, rel_tol=1e-3):
        _fail_sign(name, hints, expected)
    fields = dict(name=name, expected=expected, k=_fmt(k))
    if batch_size is not None and batch_size > 1:
        n = fields["n"] = int(batch_size)
        # A "batch_factor" hint replaces the question about the loss (a layer has no loss of its own); the message
        # then ends with "." before a hint that is a sentence, with ":" before one that goes on from it.
        hint = (hints or {}).get("batch_factor")
        ending = ("sentence" if hint[:1].isupper() else "colon") if hint else "question"
        if math.isclose(k, n, rel_tol=1e-3):
            _fail(name, "batch_factor", {
                "question": _("{name} is {expected} times {k}, off by a factor N = {n} (the batch size): is the "
                              "loss a mean over the batch, and is 1/N applied exactly once?"),
                "sentence": _("{name} is {expected} times {k}, off by a factor N = {n} (the batch size)."),
                # TRANSLATORS: a hint follows the colon, e.g. "a layer's backward pass takes no 1/N".
                "colon": _("{name} is {expected} times {k}, off by a factor N = {n} (the batch size):"),
            }[ending].format(**fields), hints)
        if math.isclose(k, 1 / n, rel_tol=1e-3):
            _fail(name, "batch_factor", {
                "question": _("{name} is {expected} times {k}, off by a factor 1/N = 1/{n} (N = {n} is the batch "
                              "size): is the loss a mean over the batch, and is 1/N applied exactly once?"),
                "sentence": _("{name} is {expected} times {k}, off by a factor 1/N = 1/{n} (N = {n} is the batch "
                              "size)."),
                # TRANSLATORS: a hint follows the colon.
                "colon": _("{name} is {expected} times {k}, off by a factor 1/N = 1/{n} (N = {n} is the batch "
                           "size):"),
            }[ending].format(**fields), hints)
    # With a single informative entry any wrong value is "a factor"; only
    # report it then when the factor is a simple one such as 2, 1/3 or 2.5.
    informative = np.count_nonzero(np.abs(ref_c) > atol)
    if informative >= 2 or _is_simple_factor(k):
        if math.isclose(abs(k), 2, rel_tol=1e-3) or math.isclose(abs(k), 0.5, rel_tol=1e-3):
            message = _("{name} is {expected} times {k}: a constant factor is wrong (a forgotten 2 from a square, "
                        "or a scale applied twice?).")
        else:
            message = _("{name} is {expected} times {k}: a constant factor is wrong (a scale applied twice or "
                        "not at all, or a formula that is proportional to the right one only here?).")
        _fail(name, "factor", message.format(**fields), hints)


def _is_simple_factor(k):
    """k or 1/k is a multiple of 1/2 of size at most 10: 2, 3, 2.5, 1/2, 1/3, ..."""
    __tracebackhide__ = True
    return any(abs(v) <= 10 and math.isclose(2 * v, round(2 * v), rel_tol=1e-5)
               for v in (k, 1 / k))


def _report_mismatch(name, got, got_c, ref_c, where, atol, rtol, hints, expected):
    __tracebackhide__ = True
    wrong = ~close(got_c, ref_c, atol, rtol)
    with np.errstate(invalid="ignore"):
        error = np.where(wrong, np.abs(got_c - ref_c), -1.0)
    k = int(np.argmax(np.nan_to_num(error, nan=np.inf)))   # the worst entry
    a, n = _fmt_pair(got_c[k], ref_c[k])
    fields = dict(where=where(k), got=a, expected=expected, want=n, wrong=int(wrong.sum()), count=got_c.size)
    if got.size <= 1:
        message = _("{where} = {got} but {expected} is {want}.")
    elif got_c.size < got.size:
        message = ngettext("{where} = {got} but {expected} is {want}; {wrong} of {count} checked entries differ.",
                           "{where} = {got} but {expected} is {want}; {wrong} of {count} checked entries differ.",
                           fields["wrong"])
    else:
        message = ngettext("{where} = {got} but {expected} is {want}; {wrong} of {count} entries differ.",
                           "{where} = {got} but {expected} is {want}; {wrong} of {count} entries differ.",
                           fields["wrong"])
    _fail(name, "mismatch", message.format(**fields), hints)


def close(a, b, atol=ATOL, rtol=RTOL):
    """The pass rule, elementwise: |a - b| <= atol + rtol * |b| (b is the reference); where a or b is not finite,
    a must equal b exactly (nan matches nan). Returns a bool array of the broadcast shape.

    >>> close(np.array([1.0, 1.0]), np.array([1.00005, 1.001]))
    array([ True, False])
    """
    __tracebackhide__ = True
    with np.errstate(invalid="ignore", over="ignore"):
        within = np.abs(a - b) <= atol + rtol * np.abs(b)
    finite = np.isfinite(a) & np.isfinite(b)
    return np.where(finite, within, _same(a, b))


def _same(a, b):
    __tracebackhide__ = True
    return (a == b) | (np.isnan(a) & np.isnan(b))


def _fail(name, diagnosis, message, hints):
    __tracebackhide__ = True
    hint = None
    if hints:
        hint = hints.get(diagnosis) or hints.get(_HINT_FALLBACK.get(diagnosis))
    if hint:
        message = f"{message} {hint}"
    raise GradientCheckError(name, diagnosis, message)


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------

def _index(idx):
    __tracebackhide__ = True
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def _where(name, idx):
    """'dW[2, 1]' for an entry of an array, just 'dW' for a 0-d array."""
    __tracebackhide__ = True
    return name + _index(idx) if len(idx) else name


def _fmt(v):
    __tracebackhide__ = True
    return f"{float(v):.4g}"


def _fmt_pair(a, b):
    """Format two different numbers with just enough digits to tell them apart."""
    __tracebackhide__ = True
    for digits in (4, 6, 8, 12, 17):
        sa, sb = f"{float(a):.{digits}g}", f"{float(b):.{digits}g}"
        if sa != sb:
            break
    return sa, sb
