"""``LayerGradients`` and ``LossGradients``: the gradients of the student's own layers, next to numeric ones.

Document 000 (appendix, Figure 10) says what every layer does during the backward pass: it receives the
**upstream gradient** ∂c/∂z (gradient amont), has **local gradients** (gradients locaux), and sends
**downstream gradients** (gradients aval) to its inputs, the upstream combined with the local ones.

``LayerGradients`` (notebooks 02 FC, 03 ReLU, later 05 and 06) shows these three groups side by side for one
layer given as the student's ``forward`` / ``backward`` pair. The upstream gradient ∂c/∂z is drawn at random;
the local parts are whatever the notebook asks to show (``local``, e.g. Wᵀ and xᵀ for the FC layer); the
downstream gradients are the student's ``backward``, each compared with the numeric gradient of the student's
``forward`` through the same ∂c/∂z (``course.gradcheck``), the entries that disagree outlined in red and the
diagnosis of ``check_gradient`` written under it (wrong shape, missing transpose, sign, factor, ...)::

    LayerGradients(fc_forward, fc_backward,
                   sample=lambda r: (r.normal(size=(1, 4)), r.normal(size=(4, 3)), r.normal(size=(1, 3))),
                   names=("x", "W", "b"),
                   local=lambda x, W, b: {"Wᵀ": W.T, "xᵀ": x.T},
                   formulas={"x": "∂c/∂x = ∂c/∂z Wᵀ (003 eq. 12)", "W": "∂c/∂W = xᵀ ∂c/∂z (003 eq. 13)"})

``LossGradients`` (notebook 04, document 003 §3.3) shows the logits s, the probabilities p of the student's
``softmax`` and the student's ∂c/∂s with the numeric gradient of the student's loss over it; a slider moves the
correct class's logit s_y, a menu picks y::

    LossGradients(softmax_cross_entropy, softmax, s=np.array([[1.0, -0.5, 2.0, 0.3]]), y=2)

Neither widget knows a layer, a softmax or a derivative rule: every number shown comes from the functions it is
given or from central differences on them (``course.gradcheck``). A function that raises (``NotImplementedError``
in a blank notebook) or returns something unusable gives a plain message in the widget, never a traceback.
"""
from __future__ import annotations

import math
from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from course.gradcheck import numeric_gradient
from course.i18n import _, ngettext, verdict_line
from course.widgets.base import GradientWidget
from course.widgets.drawing import COLORS, fmt
from course.widgets.judge import check, sampled_gradient, wrong_cells, wrong_mask
from course.widgets.panels import (Panel, dimensions, gradient_panel, inputs_heading, local_heading, panel_figure,
                                   upstream_heading)
from course.widgets.student import (Unusable, as_list, call, describe, local_parts, loss_value, measuring, name_of,
                                    numbers, raised, shapes_here)

__all__ = ["LayerGradients", "LossGradients"]



def _layer_hints() -> dict:
    """A layer has no loss of its own: a gradient off by N or 1/N is a 1/N put into (or left out of) the layer."""
    return {"batch_factor": _("A layer's backward pass takes no 1/N: the mean's 1/N is already in the upstream "
                              "gradient it receives")}


# --- LayerGradients --------------------------------------------------------------------------------------------
def _slider_description(y: int) -> str:
    return _("s_{y} (correct class's logit)").format(y=y)


class LayerGradients(GradientWidget):
    """Upstream, local and downstream gradients of one layer written by the student, on random samples.

    ``forward(*inputs) -> (out, cache)`` and ``backward(dout, cache) -> grads`` are the student's functions;
    ``backward`` returns one gradient per input, in the order of ``names`` (a layer with one input may return
    the bare array). ``sample(rng) -> tuple of inputs`` (in forward's order) is called at start and at each
    click on **New sample**, with ``rng = numpy.random.default_rng(seed)``; the upstream gradient ∂c/∂out is
    then drawn by the widget (standard normal, of the shape of ``out``).

    ``names``: the inputs' names, e.g. ``("x", "W", "b")``: the gradients are shown as ∂c/∂x, ... and called
    dx, dW, db in the messages. ``local(*inputs) -> {label: array}`` (optional): the local parts to show, e.g.
    ``{"Wᵀ": W.T, "xᵀ": x.T}``; without it the inputs themselves are shown in the middle group.
    ``formulas``: ``{name: "∂c/∂x = ∂c/∂z Wᵀ (003 eq. 12)"}``, the titles of the downstream gradients.
    ``output``: the name of the layer's output in the titles (∂c/∂z by default).
    ``batch_size``: the number N of samples of a mini-batch (notebook 05), so that a gradient off by N or 1/N is
    diagnosed as such, as the notebook's checks do; by default the number of rows of the layer's output when it
    is a matrix (1 for the single-sample layers of notebooks 02 and 03, where no factor N exists).

    Parts, for notebooks and tests: ``new_sample_button``, ``image`` (the drawing, a PNG), ``message`` (HTML).
    ``state()`` returns what is shown as plain data; ``draw()`` the matplotlib figure.
    """

    css = "layer-gradients"

    def __init__(self, forward: Callable, backward: Callable, sample: Callable, *, names, local=None,
                 formulas: dict | None = None, title: str | None = None, seed: int = 0, output: str = "z",
                 batch_size: int | None = None):
        if isinstance(names, str):
            names = (names,)
        self.names = tuple(names)
        if not self.names:
            raise ValueError(_("LayerGradients needs the names of the layer's inputs, e.g. names=('x', 'W', 'b')"))
        self.forward, self.backward, self.sample, self.local = forward, backward, sample, local
        self.formulas = dict(formulas or {})
        unknown = [k for k in self.formulas if k not in self.names]
        if unknown:
            raise ValueError(_("formulas for unknown inputs {unknown}; the inputs are {names}").format(
                unknown=unknown, names=list(self.names)))
        if batch_size is not None and not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
            raise ValueError(_("batch_size must be a positive integer (the N of the mini-batch), not "
                               "{value!r}").format(value=batch_size))
        self.output = output
        self.batch_size = None if batch_size is None else int(batch_size)
        self._forward_name = name_of(forward, "forward")
        self._backward_name = name_of(backward, "backward")
        self.title = title or _("{forward} and {backward}").format(forward=self._forward_name,
                                                                     backward=self._backward_name)
        self._rng = np.random.default_rng(seed)
        self._count = 0

        self.new_sample_button = self._make_new_sample_button(_("draw new inputs and a new upstream gradient"))
        self.message = self._make_message()
        self.image = self._make_image()
        self._open([self.new_sample_button, self._scrolling(self.image), self.message])
        self.new_sample()

    # --- public -------------------------------------------------------------------------------------------------
    def new_sample(self) -> None:
        """Draw new inputs and a new upstream gradient, run the student's functions again, redraw."""
        self._count += 1
        self._compute()
        self._show()

    def state(self) -> dict:
        """What the widget shows, as plain data (nested lists, floats, bools, str):

        ``inputs`` {name: values}; ``upstream`` ∂c/∂out (None when forward failed); ``output`` forward's out;
        ``local`` {label: values}; ``downstream`` {name: the student's gradient, None when there is none or it
        is not an array of numbers}; ``numeric`` {name: the numeric gradient of forward through the same
        upstream gradient, nan where not measured}; ``ok`` {name: bool}; ``wrong_cells`` {name: [index tuples
        where the student's gradient disagrees]}; ``verdicts`` {name: the check's message, "" when ok};
        ``message`` the text under the figure; ``sample`` how many samples were drawn.
        """
        return {
            "inputs": {n: as_list(x) for n, x in zip(self.names, self._inputs or ())},
            "upstream": as_list(self._dout),
            "output": as_list(self._out),
            "local": {k: as_list(v) for k, v in self._local.items()},
            "downstream": {n: as_list(self._shown.get(n)) for n in self.names},
            "numeric": {n: as_list(self._numeric.get(n)) for n in self.names},
            "ok": dict(self._ok),
            "wrong_cells": {n: list(self._wrong_cells.get(n, [])) for n in self.names},
            "verdicts": dict(self._verdict),
            "message": self._message_text(),
            "sample": self._count,
        }

    def draw(self) -> Figure | None:
        """The matplotlib figure shown (a new one each time, not attached to pyplot); None when there is
        nothing to draw (the inputs or forward's output could not be computed)."""
        if self._dout is None:
            return None
        return self._figure()

    # --- what is computed --------------------------------------------------------------------------------------
    def _compute(self) -> None:
        self._inputs = self._out = self._dout = None
        self._local, self._local_error = {}, ""
        self._answers: dict = {}             # name -> what backward returned for it
        self._shown: dict = {}               # name -> the student's gradient as an array of numbers
        self._numeric: dict = {}
        self._ok = {n: False for n in self.names}
        self._wrong_cells: dict = {}
        self._verdict = {n: "" for n in self.names}
        self._errors: list[str] = []
        self._backward_error = ""
        try:
            self._inputs = self._draw_inputs()
            self._out, cache = self._run_forward()
            self._dout = np.asarray(self._rng.standard_normal(self._out.shape), dtype=np.float64)
        except Unusable as error:
            self._errors.append(str(error))
            return
        if self.local is not None:
            self._compute_local()
        try:
            self._answers = self._run_backward(cache)
        except Unusable as error:
            self._backward_error = str(error)
            self._errors.append(self._backward_error)
        self._judge_all()

    def _compute_local(self) -> None:
        """The local parts the notebook asks to show, from ``local`` on copies of the inputs."""
        try:
            self._local = local_parts("local", self.local, self._inputs)
        except Unusable as error:
            self._local, self._local_error = {}, str(error)
            self._errors.append(self._local_error)

    def _judge_all(self) -> None:
        """Each input's numeric gradient, and the student's gradient for it judged against it."""
        for i, name in enumerate(self.names):
            try:
                numeric, coords = self._measure(i)
            except Unusable as error:
                self._errors.append(str(error))
                self._numeric = {}
                break
            self._numeric[name] = numeric
            if name not in self._answers:
                continue
            answer = self._answers[name]
            self._ok[name], self._verdict[name] = check(
                f"d{name}", answer, numeric, coords,
                _("the numeric gradient of your {function}").format(function=self._forward_name),
                self._batch_size(), hints=_layer_hints())
            array = numbers(answer) if not (isinstance(answer, (tuple, list)) and len(answer) > 1
                                            and any(isinstance(a, np.ndarray) for a in answer)) else None
            if array is not None:
                self._shown[name] = array
            if array is not None and array.shape == numeric.shape:
                self._wrong_cells[name] = wrong_cells(array, numeric)
            else:
                self._wrong_cells[name] = []

    def _batch_size(self) -> int | None:
        """N: the one given, else the number of rows of forward's output when it is a matrix (or more)."""
        if self.batch_size is not None:
            return self.batch_size
        return int(self._out.shape[0]) if self._out is not None and self._out.ndim >= 2 else None

    def _draw_inputs(self) -> tuple[np.ndarray, ...]:
        inputs = call("sample", self.sample, self._rng)
        if isinstance(inputs, np.ndarray) and len(self.names) == 1:
            inputs = (inputs,)
        if not isinstance(inputs, (tuple, list)) or len(inputs) != len(self.names):
            raise Unusable(ngettext("sample returned {what}, not a tuple of {count} arrays ({names})",
                                    "sample returned {what}, not a tuple of {count} arrays ({names})",
                                    len(self.names)).format(what=describe(inputs), count=len(self.names),
                                                            names=", ".join(self.names)))
        arrays = []
        for name, value in zip(self.names, inputs):
            array = numbers(value)
            if array is None:
                raise Unusable(_("sample returned {name} = {what}, not an array of numbers").format(
                    name=name, what=describe(value)))
            arrays.append(array)
        return tuple(arrays)

    def _run_forward(self):
        """(out as a float64 array, cache) from the student's forward, on copies of the inputs."""
        result = call(self._forward_name, self.forward, *[x.copy() for x in self._inputs])
        if not isinstance(result, tuple) or len(result) != 2:
            raise Unusable(_("{name} returned {what}, not the pair (out, cache): end it with return out, "
                             "cache").format(name=self._forward_name, what=describe(result)))
        out = numbers(result[0])
        if out is None:
            raise Unusable(_("{name} returned out = {what}, not an array of numbers").format(
                name=self._forward_name, what=describe(result[0])))
        return out, result[1]

    def _run_backward(self, cache) -> dict:
        """{name: the student's gradient} from backward (on a copy of the upstream gradient)."""
        shapes = ", ".join([f"∂c/∂{self.output} {self._dout.shape}"]
                           + [f"{n} {x.shape}" for n, x in zip(self.names, self._inputs)])
        context = shapes_here(shapes)
        grads = call(self._backward_name, self.backward, self._dout.copy(), cache, context=context)
        count = len(self.names)
        if count == 1:
            if isinstance(grads, (tuple, list)) and len(grads) == 1:
                grads = grads[0]
            return {self.names[0]: grads}
        listed = ", ".join(f"d{n}" for n in self.names)
        if grads is None:
            raise Unusable(_("{name} returned None: end it with return {listed}").format(name=self._backward_name,
                                                                                        listed=listed))
        if not isinstance(grads, (tuple, list)) or len(grads) != count:
            raise Unusable(_("{name} returned {what}, not a tuple of {count} gradients ({listed}), one per input in "
                             "the order of {forward}'s arguments").format(
                                 name=self._backward_name, what=describe(grads), count=count, listed=listed,
                                 forward=self._forward_name))
        return dict(zip(self.names, grads))

    def _measure(self, i: int):
        """The numeric gradient of forward's out · ∂c/∂out with respect to input i (nan where not measured,
        when the input is large) and the coordinates measured (None: all)."""
        others = self._inputs

        def out_of(v):
            args = [v.copy() if j == i else others[j].copy() for j in range(len(others))]
            return self.forward(*args)[0]

        try:
            return sampled_gradient(out_of, self._inputs[i].copy(), self._dout, seed=self._count)
        except Exception as error:
            raise Unusable(raised(self._forward_name, error, measuring(self.names[i]))) from None

    # --- what is shown --------------------------------------------------------------------------------------
    def _lines(self) -> list[tuple[bool, str]]:
        if self._dout is None or self._backward_error or not self._numeric:
            return []
        bad = [(False, verdict_line(f"d{n}", self._verdict[n])) for n in self.names if n in self._numeric
               and not self._ok[n]]
        if bad:
            return bad
        listed = ", ".join(f"d{n}" for n in self.names)
        return [(True, ngettext("{listed} agrees with the numeric gradient of your {forward} through the same "
                                "upstream gradient ∂c/∂{output}. Click New sample to try other values.",
                                "{listed} agree with the numeric gradient of your {forward} through the same "
                                "upstream gradient ∂c/∂{output}. Click New sample to try other values.",
                                len(self.names)).format(listed=listed, forward=self._forward_name,
                                                        output=self.output))]

    def _errors_shown(self) -> list[str]:
        return list(self._errors)

    def _figure(self) -> Figure:
        up = f"∂c/∂{self.output}"
        upstream = [Panel(up, self._dout, shape=dimensions(self._dout))]
        heading = local_heading()
        if self._local_error:
            middle = (heading, [Panel("local", text=self._local_error)])
        elif self._local:
            middle = (heading, [Panel(label, v, shape=dimensions(v)) for label, v in self._local.items()])
        else:
            middle = (inputs_heading(),
                      [Panel(n, x, shape=dimensions(x)) for n, x in zip(self.names, self._inputs)])
        if self._backward_error or not self._numeric:
            reason = self._backward_error or self._errors[-1]
            downstream = [Panel(f"∂c/∂{', ∂c/∂'.join(self.names)}", text=reason, width=3.2)]
        else:
            downstream = [gradient_panel(self.formulas.get(name, f"∂c/∂{name}"), self._shown.get(name),
                                         self._numeric[name], self._ok[name], self._verdict[name],
                                         self._wrong_cells[name]) for name in self.names]
        groups = [(upstream_heading(), COLORS["selected"], upstream),
                  (middle[0], COLORS["flow"], middle[1]),
                  (_("downstream gradients\n(gradients aval)"), COLORS["flow"], downstream)]
        note = _("sample {count}: random inputs and upstream gradient ∂c/∂{output} · downstream: your {backward}; "
                 "black ticks on bars, ≠ in cells: the numeric gradient of your {forward}; red: where yours "
                 "differs").format(count=self._count, output=self.output, backward=self._backward_name,
                                   forward=self._forward_name)
        return panel_figure(self.title, groups, note)


# --- LossGradients ---------------------------------------------------------------------------------------------
class LossGradients(GradientWidget):
    """Logits s, the probabilities p of the student's softmax, and the student's ∂c/∂s with the numeric
    gradient of the student's loss over it (document 003 §3.3: c = -ln p_y).

    ``loss(s, y) -> (c, ds)``: the student's softmax cross-entropy; ``softmax(s) -> p``: the student's softmax;
    ``s``: the logits, shape (1, C) or (C,), passed to both in that shape; ``y``: the correct class.

    Parts, for notebooks and tests: ``slider`` (the correct class's logit s_y), ``class_picker`` (y),
    ``image`` (the drawing, a PNG), ``message`` (HTML). ``state()`` returns what is shown as plain data;
    ``draw()`` the matplotlib figure.
    """

    css = "loss-gradients"

    def __init__(self, loss: Callable, softmax: Callable, s, y: int, *, title: str | None = None):
        logits = numbers(s)
        if logits is None or logits.ndim > 2 or (logits.ndim == 2 and logits.shape[0] != 1) or logits.size < 2:
            raise ValueError(_("LossGradients needs logits s of shape (1, C) or (C,) with C >= 2, not {s!r}").format(
                s=s))
        classes = logits.size
        if not (isinstance(y, (int, np.integer)) and 0 <= int(y) < classes):
            raise ValueError(_("y must be a class index between 0 and {last}, not {y!r}").format(last=classes - 1,
                                                                                                 y=y))
        self.loss, self.softmax = loss, softmax
        self._loss_name = name_of(loss, "loss")
        self._softmax_name = name_of(softmax, "softmax")
        self.title = title or _("{loss} and {softmax}").format(loss=self._loss_name, softmax=self._softmax_name)
        self._s = logits.copy()
        self._y = int(y)

        low = math.floor(min(-2.0, float(logits.min()) - 3))
        high = math.ceil(max(6.0, float(logits.max()) + 6))
        self.slider = widgets.FloatSlider(value=float(self._flat[self._y]), min=low, max=high, step=0.05,
                                          description=_slider_description(self._y),
                                          continuous_update=False, readout_format=".2f",
                                          style={"description_width": "initial"},
                                          layout=widgets.Layout(width="460px"))
        self.slider.add_class("loss-gradients-slider")
        self.slider.observe(self._on_slider, names="value")
        self.class_picker = widgets.Dropdown(options=[(str(k), k) for k in range(classes)], value=self._y,
                                             description=_("correct class y"),
                                             style={"description_width": "initial"},
                                             layout=widgets.Layout(width="auto"))
        self.class_picker.add_class("loss-gradients-class")
        self.class_picker.observe(self._on_class, names="value")
        hint = widgets.HTML("<span style='color:#555'>" + _("drag the correct class's logit: watch p_y and ∂c/∂s_y")
                            + "</span>")
        self.image = self._make_image()
        self.message = self._make_message()
        controls = widgets.HBox([self.class_picker, self.slider, hint],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self._open([controls, self._scrolling(self.image), self.message])
        self._compute()
        self._show()

    @property
    def _flat(self) -> np.ndarray:
        return self._s.reshape(-1)

    # --- public -------------------------------------------------------------------------------------------------
    def state(self) -> dict:
        """What the widget shows, as plain data: ``logits`` (C values), ``y``, ``probabilities`` (C values of
        the student's softmax, None when unusable), ``loss`` (the student's c, None when unusable), ``ds`` (the
        student's gradient: C values, or its own shape when that shape is wrong; None when unusable),
        ``numeric`` (C values of the numeric gradient of the student's loss; None when it cannot be measured),
        ``ok``, ``wrong_cells`` (indices k where ds_k disagrees), ``message`` (the text under the figure)."""
        ds = self._ds
        if ds is not None:
            ds = ds.reshape(-1).tolist() if ds.shape == self._s.shape else ds.tolist()
        return {
            "logits": self._flat.tolist(),
            "y": self._y,
            "probabilities": None if self._p is None else self._p.tolist(),
            "loss": self._c,
            "ds": ds,
            "numeric": None if self._numeric is None else self._numeric.reshape(-1).tolist(),
            "ok": self._ok,
            "wrong_cells": list(self._wrong),
            "message": self._message_text(),
        }

    def draw(self) -> Figure:
        """The matplotlib figure shown (a new one each time, not attached to pyplot)."""
        return self._figure()

    # --- events ---------------------------------------------------------------------------------------------------
    def _on_slider(self, change) -> None:
        self._flat[self._y] = float(change["new"])
        self._compute()
        self._show()

    def _on_class(self, change) -> None:
        self._y = int(change["new"])
        value = float(self._flat[self._y])
        self.slider.unobserve(self._on_slider, names="value")
        self.slider.min, self.slider.max = min(self.slider.min, math.floor(value)), max(self.slider.max,
                                                                                       math.ceil(value))
        self.slider.value = value
        self.slider.description = _slider_description(self._y)
        self.slider.observe(self._on_slider, names="value")
        self._compute()
        self._show()

    # --- what is computed --------------------------------------------------------------------------------------
    def _compute(self) -> None:
        classes = self._s.size
        self._p = self._c = self._ds = self._numeric = None
        self._ok, self._verdict, self._wrong, self._errors = False, "", [], []
        try:
            p = numbers(call(self._softmax_name, self.softmax, self._s.copy()))
            if p is None or p.size != classes:
                message = (_("{name} returned not an array of numbers, not {count} probabilities (the shape of s, "
                             "{shape})") if p is None else
                           _("{name} returned an array of shape {got}, not {count} probabilities (the shape of s, "
                             "{shape})"))
                raise Unusable(message.format(name=self._softmax_name, got=getattr(p, "shape", None), count=classes,
                                              shape=self._s.shape))
            self._p, self._p_raw = p.reshape(-1), p
        except Unusable as error:
            self._errors.append(str(error))
        try:
            result = call(self._loss_name, self.loss, self._s.copy(), self._y)
            self._c, answer = loss_value(self._loss_name, result, "ds")
            self._ds = numbers(answer)
        except Unusable as error:
            self._errors.append(str(error))
            return
        x = self._s.copy()
        y = self._y
        try:
            self._numeric = numeric_gradient(lambda v: self.loss(v.copy(), y)[0], x)
        except Exception as error:
            self._errors.append(raised(self._loss_name, error, measuring()))
            return
        self._ok, self._verdict = check("ds", answer, self._numeric, None,
                                         _("the numeric gradient of your {function}").format(function=self._loss_name))
        if self._ds is not None and self._ds.shape == self._numeric.shape:
            self._wrong = [int(k) for k in np.flatnonzero(wrong_mask(self._ds.reshape(-1),
                                                                       self._numeric.reshape(-1)))]

    # --- what is shown --------------------------------------------------------------------------------------
    def _lines(self) -> list[tuple[bool, str]]:
        if self._numeric is None:
            return []
        if not self._ok:
            return [(False, verdict_line("ds", self._verdict))]
        return [(True, _("ds agrees with the numeric gradient of your {loss}. Drag s_{y} and watch p_{y} and "
                         "∂c/∂s_{y}; then pick another class.").format(loss=self._loss_name, y=self._y))]

    def _errors_shown(self) -> list[str]:
        return list(self._errors)

    def _figure(self) -> Figure:
        classes, y = self._s.size, self._y
        labels = [f"{k} = y" if k == y else str(k) for k in range(classes)]
        width = max(2.4, min(2.7, 0.5 * classes + 0.3))   # room for the values over the bars
        logits = Panel(_("logits s"), self._flat, shape=dimensions(self._s), highlight=y, xlabels=labels,
                        ylim=(min(self.slider.min, float(self._flat.min())),
                              max(self.slider.max, float(self._flat.max()))), width=width)
        if self._p is None:
            probabilities = Panel(f"p = {self._softmax_name}(s)", text=self._errors[0], width=width)
        else:
            probabilities = Panel(f"p = {self._softmax_name}(s)", self._p, highlight=y, xlabels=labels,
                                   shape=dimensions(self._p_raw),
                                   ylim=(min(0.0, float(np.nanmin(self._p))), max(1.0, float(np.nanmax(self._p)))),
                                   width=width, guides=(1.0,))
        shown = None
        if self._numeric is not None:
            shown = (True, _("matches the numeric gradient (black ticks)")) if self._ok else (False, self._verdict)
        your_ds = _("∂c/∂s (your ds)")
        if self._numeric is None:
            gradient = Panel(your_ds, text=self._errors[-1] if self._errors else "?", width=width)
        elif self._ds is None or self._ds.shape != self._numeric.shape:
            gradient = Panel(your_ds, text="✗ " + self._verdict, width=width,
                              shape=_("expected {shape}").format(shape=dimensions(self._s)))
        else:
            mask = np.zeros(classes, bool)
            mask[self._wrong] = True
            values = np.concatenate([self._ds.reshape(-1), self._numeric.reshape(-1)])
            values = values[np.isfinite(values)]
            low = min(-1.0, float(values.min())) if values.size else -1.0
            high = max(1.0, float(values.max())) if values.size else 1.0
            gradient = Panel(your_ds, self._ds, wrong=mask, numeric=self._numeric, verdict=shown,
                              shape=dimensions(self._ds),
                              highlight=y, xlabels=labels, ylim=(low, high), width=width, guides=(-1.0, 1.0))
        loss = "c = ?" if self._c is None else f"c = {fmt(self._c)}"
        title = _("{title}: {loss}  (correct class y = {y}, s_{y} = {logit})").format(
            title=self.title, loss=loss, y=y, logit=fmt(float(self._flat[y])))
        groups = [(_("the logits"), COLORS["flow"], [logits]), (_("your softmax"), COLORS["flow"], [probabilities]),
                  (_("your gradient of the loss"), COLORS["selected"], [gradient])]
        note = _("highlighted: the correct class y; black ticks: the numeric gradient of your loss; red: ds differs")
        return panel_figure(title, groups, note)
