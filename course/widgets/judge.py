"""How a widget judges the student's gradient: with ``course.gradcheck``, the one numeric authority.

The numeric gradient is measured with gradcheck's central differences, the verdict and its diagnosis are
``check_gradient``'s (the rule, the tolerances and the messages of the notebook's checks), and the entries outlined
in red are the entries where gradcheck's pass rule fails: a widget's red mark and the grader's verdict cannot
disagree.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from course.i18n import _
from course.gradcheck import (GradientCheckError, check_gradient, close, numeric_gradient, numeric_gradient_array,
                              sample_coordinates)

__all__ = ["MAX_CHECKED", "check", "wrong_mask", "wrong_cells", "sampled_gradient"]

MAX_CHECKED = 200        # an input with more entries is checked at this many sampled coordinates (2 calls each)


def check(label: str, answer, numeric: np.ndarray, coords, expected: str,
          batch_size: int | None = None, hints: dict | None = None) -> tuple[bool, str]:
    """(ok, message) of ``course.gradcheck.check_gradient`` on the student's answer: the same rule and the same
    diagnoses as the notebook's checks; ``numeric`` has the answer's shape (nan where not measured), ``coords`` the
    entries measured (None: all); with the batch size N, a factor N or 1/N is named as such ("off by a factor
    1/N = 1/4"); ``hints`` as check_gradient's."""
    try:
        if coords is None:
            check_gradient(label, answer, numeric, batch_size=batch_size, expected=expected, hints=hints)
        else:
            check_gradient(label, answer, np.array([numeric[c] for c in coords]), batch_size=batch_size,
                           coords=coords, expected=expected, hints=hints)
    except GradientCheckError as error:
        if coords is not None and error.diagnosis not in ("type", "shape", "transpose", "sum_batch"):
            return False, _("{message} (checked at {count} sampled entries of {size})").format(
                message=error.message, count=len(coords), size=numeric.size)
        return False, error.message
    except Exception as error:               # an answer check_gradient cannot even read
        return False, _("{label} cannot be compared: {error_type}: {error}").format(
            label=label, error_type=type(error).__name__, error=error)
    return True, ""


def wrong_mask(answer: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """True where gradcheck's pass rule fails (nan or inf in the answer included); False where the numeric
    gradient was not measured (nan: a sampled check of a large array)."""
    return ~close(answer, numeric) & ~np.isnan(numeric)


def wrong_cells(answer: np.ndarray, numeric: np.ndarray) -> list[tuple[int, ...]]:
    """The indices where ``wrong_mask`` is True, as tuples of ints."""
    return [tuple(int(i) for i in index) for index in np.argwhere(wrong_mask(answer, numeric))]


def sampled_gradient(f: Callable, x: np.ndarray, dout=None, *, seed: int = 0):
    """(numeric gradient, coordinates measured) of ``f`` at ``x``: of the scalar f(x) when ``dout`` is None, else of
    sum(f(x) * dout). An input of more than MAX_CHECKED entries is measured at MAX_CHECKED sampled coordinates
    (``sample_coordinates(..., seed)``), nan elsewhere; the coordinates are None when every entry is measured.
    Whatever ``f`` raises propagates."""
    coords = None if x.size <= MAX_CHECKED else sample_coordinates(x.shape, MAX_CHECKED, seed=seed)
    if dout is None:
        measured = numeric_gradient(f, x, coords=coords)
    else:
        measured = numeric_gradient_array(f, x, dout, coords=coords)
    if coords is None:
        return measured, None
    full = np.full(x.shape, np.nan)
    for c, v in zip(coords, measured):
        full[c] = v
    return full, coords
