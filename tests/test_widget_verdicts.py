"""A widget's red mark and the grader's verdict never disagree: the same gradient, right, wrong, or at the border of
the tolerance (just inside, just outside), is given to a widget and to course.gradcheck, the grader's judge, and
both say the same thing, entry by entry."""
from __future__ import annotations

import math

import numpy as np
import pytest

from course import gradcheck
from course.gradcheck import ATOL, RTOL, GradientCheckError, check_gradient, close, numeric_gradient_array
from course.graph import Variable, check_local_gradients, numeric_local
from course.widgets import GradientFlow, LayerGradients

D, H = 4, 3
SAMPLE = dict(sample=lambda r: (r.normal(size=(1, D)), r.normal(size=(D, H)), r.normal(size=(1, H))),
              names=("x", "W", "b"))
# (name, how far from the numeric gradient, in tolerances |a - n| / (ATOL + RTOL |n|), on the entries of dW)
OFFSETS = [("right", 0.0), ("inside the tolerance", 0.9), ("just outside", 1.1), ("wrong", 1e4)]


def fc_forward(x, W, b):
    return x @ W + b, (x, W, b)


def backward_off_by(offset):
    """A backward whose dW is the numeric gradient (as gradcheck measures it) moved by ``offset`` tolerances on
    every other entry; dx and db are right."""
    def fc_backward(dz, cache):
        x, W, b = cache
        numeric = numeric_gradient_array(lambda v: fc_forward(x, v, b)[0], W.copy(), dz)
        moved = numeric + offset * (ATOL + RTOL * np.abs(numeric)) * (np.indices(W.shape).sum(axis=0) % 2)
        return dz @ W.T, moved, dz.copy()
    return fc_backward


def test_the_tolerances_are_gradcheck_s_defaults():
    assert (ATOL, RTOL) == (1e-6, 1e-4)
    assert gradcheck.check_gradient.__kwdefaults__["atol"] == ATOL
    assert gradcheck.check_gradient.__kwdefaults__["rtol"] == RTOL


@pytest.mark.parametrize("name, offset", OFFSETS, ids=[name for name, _ in OFFSETS])
def test_layer_gradients_marks_what_gradcheck_rejects(name, offset):
    widget = LayerGradients(fc_forward, backward_off_by(offset), **SAMPLE)
    state = widget.state()
    answer, numeric = np.array(state["downstream"]["W"]), np.array(state["numeric"]["W"])
    try:
        check_gradient("dW", answer, numeric)
        grader_ok = True
    except GradientCheckError:
        grader_ok = False
    assert state["ok"]["W"] == grader_ok == (offset <= 1)
    wrong = {tuple(c) for c in state["wrong_cells"]["W"]}
    assert wrong == {tuple(int(i) for i in c) for c in np.argwhere(~close(answer, numeric))}
    assert bool(wrong) == (not grader_ok)


def _graph():
    a, b = Variable("a"), Variable("b")
    e = (a * b).named("e")
    e.evaluate(a=3.0, b=-2.0)
    return e


@pytest.mark.parametrize("name, offset", OFFSETS, ids=[name for name, _ in OFFSETS])
def test_gradient_flow_marks_what_the_visible_check_rejects(name, offset):
    point = (3.0, -2.0)
    measured = numeric_local("mul", *point)

    def local_gradients(op, a, b):
        base = numeric_local(op, a, b)
        return base[0] + offset * (ATOL + RTOL * abs(base[0])), base[1]

    widget = GradientFlow(_graph(), local_gradients=local_gradients)
    red = {(child, node, i) for child, node, i, _, _ in widget.state()["wrong_edges"]}
    try:
        check_local_gradients(local_gradients, "mul", point)
        grader_ok = True
    except GradientCheckError:
        grader_ok = False
    assert grader_ok == (offset <= 1) == bool(close(local_gradients("mul", *point)[0], measured[0]))
    assert red == (set() if grader_ok else {("a", "e", 0)})


def test_the_scalar_central_difference_is_gradcheck_s():
    assert gradcheck.central_difference(math.sin, 0.5, 1e-5) == (math.sin(0.5 + 1e-5) - math.sin(0.5 - 1e-5)) / 2e-5
    assert numeric_local("mul", 3.0, -2.0) == pytest.approx((-2.0, 3.0), abs=1e-9)
