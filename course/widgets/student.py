"""Calling the student's functions from a widget, and describing what they returned, in plain words.

A widget never shows a traceback: a function that raises (``NotImplementedError`` in a blank notebook) or returns
something unusable becomes an ``Unusable`` error whose text is the message shown to the student, with the line of
the student's own code where it happened.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Callable

import numpy as np

from course.i18n import _, ngettext

__all__ = ["Unusable", "name_of", "raised", "call", "describe", "numbers", "as_list", "local_parts", "loss_value",
           "shapes_here", "measuring"]

_COURSE = Path(__file__).resolve().parents[1]


class Unusable(Exception):
    """A function given to the widget could not be used; ``str()`` is the plain message shown to the student."""


def name_of(function: Callable, default: str) -> str:
    """The function's name as the student wrote it, or ``default`` (a lambda, a callable object)."""
    name = getattr(function, "__name__", "")
    return name if name and name.isidentifier() else default


def raised(name: str, error: Exception, context: str = "") -> str:
    """The message shown when a function raised: its name, the error, the student's line; no traceback."""
    if isinstance(error, NotImplementedError):
        return _("{name} raised NotImplementedError: write it above, then run this cell again").format(name=name)
    text = " ".join(str(error).split())
    if len(text) > 300:
        text = text[:297] + "..."
    fields = dict(name=name, error_type=type(error).__name__, text=text, where=_student_line(error), context=context)
    # TRANSLATORS: {where} is empty or " (line 5 of fc_backward: dx = dz @ W)"; {context} is empty or a clause
    # such as "; the shapes here: ..." or " while the widget measured the numeric gradient".
    if text:
        return _("{name} raised {error_type}: {text}{where}{context}. Fix it above, then run this cell "
                 "again").format(**fields)
    return _("{name} raised {error_type}{where}{context}. Fix it above, then run this cell again").format(**fields)


def shapes_here(shapes: str) -> str:
    """The ``context`` of ``raised`` that gives the shapes the function was called with: "; the shapes here: dout
    (1, 1, 2, 2), x (1, 1, 4, 4)"."""
    # TRANSLATORS: added after "fc_backward raised ValueError: ... (line 3 of fc_backward: ...)", its ";" included.
    return _("; the shapes here: {shapes}").format(shapes=shapes)


def measuring(name: str | None = None) -> str:
    """The ``context`` of ``raised`` when the student's forward raised while the widget measured a numeric gradient
    (with respect to ``name``)."""
    # TRANSLATORS: added after "fc_forward raised ValueError: ... (line 3 of fc_forward: ...)".
    if name is None:
        return " " + _("while the widget measured the numeric gradient")
    return " " + _("while the widget measured the numeric gradient with respect to {name}").format(name=name)


def _student_line(error: Exception) -> str:
    """' (line 5 of fc_backward: dx = dz @ W)': the innermost frame of the student's code (not numpy's, not
    the course's), or ""."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if not f.filename.startswith(str(_COURSE)) and "site-packages" not in f.filename
           and "dist-packages" not in f.filename and not f.filename.startswith("<frozen")]
    if not own:
        return ""
    frame = own[-1]
    line = (frame.line or "").strip()
    if line:
        return " " + _("(line {number} of {function}: {line})").format(number=frame.lineno, function=frame.name,
                                                                        line=line)
    return " " + _("(line {number} of {function})").format(number=frame.lineno, function=frame.name)


def call(name: str, function: Callable, *args, context: str = ""):
    """``function(*args)``; whatever it raises becomes ``Unusable`` with the message of ``raised``."""
    try:
        return function(*args)
    except Exception as error:              # a blank notebook raises NotImplementedError; anything may happen
        raise Unusable(raised(name, error, context)) from None


def describe(value) -> str:
    """A few words on what a function returned: "None", "a tuple of 2 items", "an array of shape (3,)"."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape}").format(shape=value.shape)
    if type(value) is tuple:
        return ngettext("a tuple of {count} item", "a tuple of {count} items", len(value)).format(count=len(value))
    if type(value) is list:
        return ngettext("a list of {count} item", "a list of {count} items", len(value)).format(count=len(value))
    if isinstance(value, (tuple, list)):
        return ngettext("a {kind} of {count} item", "a {kind} of {count} items", len(value)).format(
            kind=type(value).__name__, count=len(value))
    # TRANSLATORS: what a function returned: "a float", "a dict".
    return _("a {kind}").format(kind=type(value).__name__)


def numbers(value) -> np.ndarray | None:
    """``value`` as a float64 array (booleans too), or None when it is not an array of numbers."""
    if value is None:
        return None
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.dtype.kind not in "biuf":
        return None
    return array.astype(np.float64)


def as_list(array):
    """An array as nested lists for ``state()``; None stays None."""
    return None if array is None else np.asarray(array).tolist()


def local_parts(who: str, local: Callable, inputs) -> dict[str, np.ndarray]:
    """{label: array} from the notebook's ``local(*inputs)`` (called on copies): the local gradients to show.
    ``who`` names it in the messages ("local", "local['fc']")."""
    parts = call("local", local, *[x.copy() for x in inputs])
    if not isinstance(parts, dict):
        raise Unusable(_("{who} returned {what}, not a dict {{label: array}}").format(who=who, what=describe(parts)))
    arrays = {}
    for label, value in parts.items():
        array = numbers(value)
        if array is None:
            raise Unusable(_("{who}[{label!r}] is {what}, not an array of numbers").format(who=who, label=label,
                                                                                         what=describe(value)))
        arrays[str(label)] = array
    return arrays


def loss_value(name: str, result, gradient: str) -> tuple[float, object]:
    """(c, the gradient) from what the student's loss returned, which must be the pair (c, gradient) with c one
    number; ``gradient`` is its name in the messages ("ds", "dS")."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise Unusable(_("{name} returned {what}, not the pair (c, {gradient}): end it with "
                         "return c, {gradient}").format(name=name, what=describe(result), gradient=gradient))
    c = numbers(result[0])
    if c is None or c.size != 1:
        raise Unusable(_("{name} returned c = {what}, not one number").format(name=name, what=describe(result[0])))
    return float(c.reshape(())), result[1]
