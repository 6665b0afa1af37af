"""``StackGradients``: backward through the stack of layers of the student's MLP (notebook 05).

Document 000 says what every layer does in the backward pass: « chaque couche reçoit le gradient de perte par
rapport à ses sorties ∂L/∂out » and « renvoie le gradient de perte par rapport à ses entrées ∂L/∂in ». Document
003 eq. 19 stacks the layers: X⁽⁰⁾ = X, layer k computes X⁽ᵏ⁾ from X⁽ᵏ⁻¹⁾ (FC for odd k, ReLU for even k) and
X⁽ᴸ⁾ = S, the scores that go into the loss c.

``StackGradients`` builds the student's ``MLP(D, H, C, L, rng)`` and draws a random mini-batch (X, y). It shows:

- for the layer picked (the loss first, then layer L, L-1, ..., 1: the order of the backward pass), the three
  groups of ``LayerGradients``: the **upstream gradient** ∂c/∂X⁽ᵏ⁾ that reaches the layer, its **local** parts
  (given by the notebook), and the **downstream gradients** that the student's backward function returns for it
  (∂c/∂X⁽ᵏ⁻¹⁾, and ∂c/∂W⁽ᵏ⁾, ∂c/∂b⁽ᵏ⁾ for an FC layer), each compared with the numeric gradient of the student's
  forward function through the same upstream gradient (disagreeing entries outlined in red);
- under it, the whole stack as bar charts: the norm ‖∂c/∂X⁽ᵏ⁾‖ of the gradient at the output of every layer, and
  the norm of every parameter gradient the student's ``loss_and_gradients`` returns, with the norm of the numeric
  gradient of its loss as a black tick (red bars: the gradients that disagree).

::

    StackGradients(MLP, D=6, H=5, C=3, L=5, N=4,
                   fc=(fc_forward, fc_backward), relu=(relu_forward, relu_backward), loss=softmax_cross_entropy,
                   local={"fc": lambda X, W, b: {"W⁽ᵏ⁾ᵀ": W.T, "X⁽ᵏ⁻¹⁾ᵀ": X.T},
                          "relu": lambda X: {"1[X⁽ᵏ⁻¹⁾ > 0]": (X > 0).astype(float)}})

The library holds no backward pass: the upstream gradient of a layer is *measured*, by central differences of the
student's loss through the student's forward functions of the layers above it, so that every layer is judged on
its own whatever the others do; every other gradient shown comes from the student's functions. A function that
raises (``NotImplementedError`` in a blank notebook) or returns something unusable gives a plain message in the
widget, never a traceback.
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from course.gradcheck import numeric_gradient
from course.i18n import _, ngettext, verdict_line
from course.widgets.base import GradientWidget
from course.widgets.drawing import COLORS, fmt
from course.widgets.judge import check, sampled_gradient, wrong_cells
from course.widgets.panels import (Panel, dimensions, gradient_panel, inputs_heading, local_heading, panel_figure,
                                   upstream_heading)
from course.widgets.student import (Unusable, as_list, call, describe, local_parts, loss_value, measuring, name_of,
                                    numbers, raised, shapes_here)

__all__ = ["StackGradients"]

MAX_ENTRIES = 600         # N x max(D, H, C) at most: every upstream gradient is measured entry by entry
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _sup(k) -> str:
    """'⁽³⁾' for 3: the layer index of the documents, X⁽³⁾, W⁽³⁾."""
    return "⁽" + str(k).translate(_SUPERSCRIPTS) + "⁾"


def _norm(array) -> float:
    """The Frobenius norm of an array of numbers (nan when it has nan or inf)."""
    values = np.asarray(array, dtype=np.float64)
    return float(np.sqrt(np.sum(values * values))) if np.all(np.isfinite(values)) else float("nan")


def _validate(sizes: dict, fc, relu, local) -> None:
    """ValueError with a plain message when the sizes or the functions given cannot make a stack."""
    D, H, C, L, N = (sizes[k] for k in "DHCLN")
    for name, value in sizes.items():
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(_("{name} must be a positive integer, not {value!r}").format(name=name, value=value))
    if L < 3 or L % 2 == 0:
        raise ValueError(_("L must be odd and at least 3 (document 003: FC, ReLU, ..., FC), not {L}").format(L=L))
    if N * max(D, H, C) > MAX_ENTRIES:
        raise ValueError(_("StackGradients measures every upstream gradient entry by entry: keep N x max(D, H, C) "
                           "at most {limit} (here {N} x {width})").format(limit=MAX_ENTRIES, N=N, width=max(D, H, C)))
    for kind, pair in (("fc", fc), ("relu", relu)):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(callable(f) for f in pair)):
            raise ValueError(_("{kind} must be the pair (forward, backward) of your functions, e.g. "
                               "{kind}=({kind}_forward, {kind}_backward)").format(kind=kind))
    unknown = sorted(set(local or {}) - {"fc", "relu"})
    if unknown:
        raise ValueError(_("local: unknown layer kinds {unknown}; the kinds are 'fc' and 'relu'").format(
            unknown=unknown))


class StackGradients(GradientWidget):
    """Backward through the stack of the student's MLP, one layer at a time, and the gradient norms of every layer.

    ``model_class``: the student's class, called as ``model_class(D, H, C, L, rng)``; its ``params`` is a dict
    ``{"W1": (D, H), "b1": (1, H), "W3": ..., "WL": (H, C), "bL": (1, C)}`` and ``loss_and_gradients(X, y)``
    returns ``(loss, grads)`` with the keys of ``params``. ``fc``, ``relu``: the student's ``(forward,
    backward)`` pairs, ``forward(*inputs) -> (out, cache)``, ``backward(dout, cache) -> gradients`` (FC: dX, dW,
    db; ReLU: dX). ``loss(S, y) -> (c, dS)``: the student's loss. ``local``: optional ``{"fc": f(X, W, b),
    "relu": f(X)}`` returning ``{label: array}``, the local parts to show (without it the layer's inputs are
    shown); in a label, ⁽ᵏ⁾ and ⁽ᵏ⁻¹⁾ become the picked layer's indices, e.g. "W⁽ᵏ⁾ᵀ" is shown as "W⁽³⁾ᵀ".
    ``D, H, C, L``: the sizes of the MLP (L odd, at least 3); ``N``: the size of the mini-batch; ``seed`` of the
    random draws (each **New sample** draws a new batch and a new MLP; the biases, zero at initialisation,
    get random values so that no ReLU sits exactly on its kink).

    Parts, for notebooks and tests: ``picker`` (Dropdown: "loss", then the layers L, ..., 1), ``prev_button``,
    ``next_button``, ``new_sample_button``, ``image`` (the layer, a PNG), ``norms_image`` (the stack, a PNG),
    ``message`` (HTML). ``state()`` returns what is shown as plain data; ``draw()`` and ``draw_norms()`` the
    matplotlib figures.
    """

    css = "stack-gradients"

    def __init__(self, model_class: Callable, *, D: int, H: int, C: int, L: int, N: int, fc, relu,
                 loss: Callable, local: dict | None = None, title: str | None = None, seed: int = 0):
        sizes = dict(D=D, H=H, C=C, L=L, N=N)
        _validate(sizes, fc, relu, local)
        self.model_class, self.loss, self.local = model_class, loss, dict(local or {})
        self.sizes = {k: int(v) for k, v in sizes.items()}
        self.L = int(L)
        self._functions = {"fc": tuple(fc), "relu": tuple(relu)}
        self._names = {kind: (name_of(f, f"{kind}_forward"), name_of(b, f"{kind}_backward"))
                       for kind, (f, b) in self._functions.items()}
        self._class_name = name_of(model_class, "MLP")
        self._loss_name = name_of(loss, "loss")
        self.title = title or _("Backward through your {name}").format(name=self._class_name)
        self._rng = np.random.default_rng(seed)
        self._count = 0
        self._selected = "loss"

        self.order = ["loss"] + list(range(self.L, 0, -1))
        self.picker = widgets.Dropdown(options=[(self._label(k), k) for k in self.order], value="loss",
                                       description=_("layer"), style={"description_width": "initial"},
                                       layout=widgets.Layout(width="auto"))
        self.picker.add_class("stack-gradients-layer-picker")
        self.picker.observe(self._on_pick, names="value")
        self._make_steps(_("the layer before in the backward pass (toward the loss)"),
                         _("the next layer in the backward pass (toward the input X)"))
        self.new_sample_button = self._make_new_sample_button(_("draw a new mini-batch and a new MLP"))
        self.image = self._make_image()
        self.norms_image = self._make_image("norms")
        self.message = self._make_message()
        controls = widgets.HBox([self.prev_button, self.picker, self.next_button, self.new_sample_button],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self._open([controls, self._scrolling(self.image), self.message, self._scrolling(self.norms_image)])
        self.new_sample()

    # --- public -----------------------------------------------------------------------------------------------------
    def new_sample(self) -> None:
        """Draw a new mini-batch and a new MLP, run the student's functions again, redraw."""
        self._count += 1
        self._compute_stack()
        self._compute_layer()
        self._show()

    def select(self, layer) -> None:
        """Pick a layer: "loss" or an index 1..L (as in the picker)."""
        self.picker.value = layer

    def state(self) -> dict:
        """What the widget shows, as plain data (nested lists, floats, bools, str):

        ``sample``; ``sizes`` {D, H, C, L, N}; ``order`` the picker's order ("loss", L, ..., 1); ``selected``;
        ``X``, ``y`` the mini-batch; ``values`` {k: X⁽ᵏ⁾ from the student's forward functions}; ``loss`` the
        student's c; ``upstream`` {k: ∂c/∂X⁽ᵏ⁾ measured}; ``layer``: the picked layer, {``kind`` ("loss", "fc",
        "relu"), ``inputs`` {name: values}, ``upstream``, ``local`` {label: values}, ``downstream`` {name: the
        student's gradient or None}, ``numeric`` {name: values}, ``ok`` {name: bool}, ``wrong_cells`` {name:
        [index tuples]}, ``verdicts`` {name: message or ""}}; ``flow_norms`` {k: ‖∂c/∂X⁽ᵏ⁾‖}; ``param_norms``
        {key: norm of the student's gradient, None when unusable}; ``param_numeric_norms`` {key: norm of the numeric
        gradient of the student's loss_and_gradients' loss}; ``param_ok`` {key: bool}; ``param_verdicts``
        {key: message or ""}; ``message`` the text under the figure.
        """
        layer = self._layer
        return {
            "sample": self._count,
            "sizes": dict(self.sizes),
            "order": list(self.order),
            "selected": self._selected,
            "X": as_list(self._X),
            "y": None if self._y is None else [int(v) for v in self._y],
            "values": {k: as_list(v) for k, v in self._values.items()},
            "loss": self._c,
            "upstream": {k: as_list(v) for k, v in self._up.items()},
            "layer": {
                "kind": layer["kind"],
                "inputs": {n: as_list(v) for n, v in layer["inputs"].items()},
                "upstream": as_list(layer["upstream"]),
                "local": {k: as_list(v) for k, v in layer["local"].items()},
                "downstream": {n: as_list(layer["shown"].get(n)) for n in layer["inputs"]},
                "numeric": {n: as_list(v) for n, v in layer["numeric"].items()},
                "ok": dict(layer["ok"]),
                "wrong_cells": {n: list(layer["wrong_cells"].get(n, [])) for n in layer["inputs"]},
                "verdicts": dict(layer["verdicts"]),
            },
            "flow_norms": {k: _norm(v) for k, v in self._up.items()},
            "param_norms": dict(self._param_norms),
            "param_numeric_norms": dict(self._param_numeric_norms),
            "param_ok": dict(self._param_ok),
            "param_verdicts": dict(self._param_verdicts),
            "message": self._message_text(),
        }

    def draw(self) -> Figure | None:
        """The figure of the picked layer (a new one each time, not attached to pyplot); None when there is nothing
        to draw (the MLP, a forward function or the loss could not be used)."""
        if not self._up:
            return None
        return self._layer_figure()

    def draw_norms(self) -> Figure | None:
        """The figure of the whole stack: the norms of the gradients, layer by layer; None when there is nothing
        to draw."""
        if not self._up:
            return None
        return self._norms_figure()

    # --- labels ---------------------------------------------------------------------------------------------------
    def _kind(self, k) -> str:
        return "loss" if k == "loss" else ("fc" if k % 2 == 1 else "relu")

    def _label(self, k, of: int | None = None) -> str:
        """The picker's label of ``k`` ("loss" or a layer); with ``of`` (L), a layer's heading "layer 3 of 5: ..."."""
        if k == "loss":
            return _("loss: c = {loss}(S, y)").format(loss=self._loss_name)
        if k % 2 == 1:
            kind, formula = "FC", f"X{_sup(k)} = X{_sup(k - 1)} W{_sup(k)} + b{_sup(k)}"
        else:
            kind, formula = "ReLU", f"X{_sup(k)} = max(0, X{_sup(k - 1)})"
        if of is None:
            return _("layer {k}: {kind}, {formula}").format(k=k, kind=kind, formula=formula)
        return _("layer {k} of {L}: {kind}, {formula}").format(k=k, L=of, kind=kind, formula=formula)

    def _input_names(self, k) -> tuple[str, ...]:
        if k == "loss":
            return (f"X{_sup(self.L)}",)
        if k % 2 == 1:
            return f"X{_sup(k - 1)}", f"W{_sup(k)}", f"b{_sup(k)}"
        return (f"X{_sup(k - 1)}",)

    # --- events -----------------------------------------------------------------------------------------------------
    def _on_pick(self, change) -> None:
        self._selected = change["new"]
        self._compute_layer()
        self._show()

    def _move(self, step: int) -> None:
        position = self.order.index(self._selected) + step
        if 0 <= position < len(self.order):
            self.picker.value = self.order[position]

    # --- the whole stack ----------------------------------------------------------------------------------------------
    def _compute_stack(self) -> None:
        D, H, C, N = (self.sizes[k] for k in "DHCN")
        self._X = self._rng.normal(size=(N, D))
        self._y = self._rng.integers(0, C, size=N)
        self._values: dict = {}
        self._up: dict = {}
        self._c = None
        self._ds = None
        self._params: dict = {}
        self._param_norms, self._param_numeric_norms, self._param_numeric = {}, {}, {}
        self._param_ok, self._param_verdicts, self._param_wrong = {}, {}, {}
        self._param_error = ""
        self._errors: list[str] = []
        model = None
        try:
            model = call(self._class_name, self.model_class, D, H, C, self.L, self._rng,
                          context=" " + _("(called as {call})").format(
                              call=f"{self._class_name}({D}, {H}, {C}, {self.L}, rng)"))
            self._params = self._read_params(model)
            self._shift_biases(model)
            self._run_forward()
            self._measure_upstream()
        except Unusable as error:
            self._errors.append(str(error))
            self._up = {}
            return
        self._check_model(model)

    def _expected_shapes(self) -> dict:
        D, H, C = (self.sizes[k] for k in "DHC")
        widths = [D] + [H] * ((self.L - 1) // 2) + [C]
        shapes = {}
        for j in range(len(widths) - 1):
            shapes[f"W{2 * j + 1}"] = (widths[j], widths[j + 1])
            shapes[f"b{2 * j + 1}"] = (1, widths[j + 1])
        return shapes

    def _read_params(self, model) -> dict:
        call = f"{self._class_name}({', '.join(str(self.sizes[k]) for k in 'DHCL')}, rng)"
        params = getattr(model, "params", None)
        expected = self._expected_shapes()
        keys = ", ".join(repr(k) for k in expected)
        if not isinstance(params, dict):
            raise Unusable(_("{call}.params is {what}, not a dict {{{keys}}}").format(call=call, what=describe(params),
                                                                                    keys=keys))
        missing = [k for k in expected if k not in params]
        if missing:
            raise Unusable(ngettext("{call}.params has no key {missing}: the keys are {keys} (odd layer indices, as "
                                    "in document 003)",
                                    "{call}.params has no key {missing}: the keys are {keys} (odd layer indices, as "
                                    "in document 003)", len(missing)).format(
                call=call, missing=", ".join(repr(k) for k in missing), keys=keys))
        out = {}
        for key, shape in expected.items():
            value = numbers(params[key])
            if value is None or value.shape != shape:
                message = (_("{call}.params[{key!r}] has {what}, expected shape {shape}") if value is None else
                           _("{call}.params[{key!r}] has shape {got}, expected shape {shape}"))
                raise Unusable(message.format(call=call, key=key, what=describe(params[key]),
                                              got=getattr(value, "shape", None), shape=shape))
            out[key] = value
        return out

    def _shift_biases(self, model) -> None:
        """Random biases (N(0, 0.5²)) in place of the zeros of the initialisation: with zero biases a sample whose
        units of one layer are all off gives exactly 0 to the next ReLU, its kink, where no derivative exists (and a
        numeric one is half of it)."""
        for key in self._params:
            if key.startswith("b"):
                value = self._rng.normal(0.0, 0.5, size=self._params[key].shape)
                target = model.params[key]
                if isinstance(target, np.ndarray) and target.dtype == np.float64 and target.flags.writeable:
                    target[...] = value
                else:
                    model.params[key] = value
                self._params[key] = value.copy()

    def _layer_inputs(self, k, x) -> tuple:
        if k % 2 == 1:
            return x, self._params[f"W{k}"], self._params[f"b{k}"]
        return (x,)

    def _forward_layer(self, k, x):
        """(out, cache) of the student's forward function of layer k on copies of its inputs."""
        kind = self._kind(k)
        name = self._names[kind][0]
        result = call(name, self._functions[kind][0], *[a.copy() for a in self._layer_inputs(k, x)],
                       context=" " + _("(layer {k})").format(k=k))
        if not isinstance(result, tuple) or len(result) != 2:
            raise Unusable(_("{name} returned {what}, not the pair (out, cache): end it with return out, "
                             "cache").format(name=name, what=describe(result)))
        out = numbers(result[0])
        N, H, C = (self.sizes[s] for s in "NHC")
        shape = (N, C) if k == self.L else (N, H)
        if out is None or out.shape != shape:
            what = describe(result[0]) if out is None else _("an array of shape {shape}").format(shape=out.shape)
            raise Unusable(_("{name} returned out = {what} at layer {k}; {variable} should be {shape}").format(
                name=name, what=what, k=k, variable=f"X{_sup(k)}", shape=shape))
        return out, result[1]

    def _run_loss(self, scores):
        return loss_value(self._loss_name, call(self._loss_name, self.loss, scores.copy(), self._y.copy()), "dS")

    def _run_forward(self) -> None:
        x = self._X
        self._values[0] = x
        for k in range(1, self.L + 1):
            x, _ = self._forward_layer(k, x)
            self._values[k] = x
        self._c, self._ds = self._run_loss(self._values[self.L])

    def _loss_from(self, k, x) -> float:
        """c as a function of X⁽ᵏ⁾, through the student's forward functions of layers k+1..L and loss."""
        for j in range(k + 1, self.L + 1):
            x, _ = self._forward_layer(j, x)
        return self._run_loss(x)[0]

    def _measure_upstream(self) -> None:
        for k in range(self.L, -1, -1):
            self._up[k] = numeric_gradient(lambda v, k=k: self._loss_from(k, v), self._values[k].copy())

    def _check_model(self, model) -> None:
        """The student's loss_and_gradients, next to the numeric gradient of the loss it returns."""
        name = f"{self._class_name}.loss_and_gradients"
        keys = list(self._params)
        try:
            method = getattr(model, "loss_and_gradients", None)
            if not callable(method):
                raise Unusable(_("{name} has no method loss_and_gradients(X, y)").format(name=self._class_name))
            result = call(name, method, self._X.copy(), self._y.copy())
            if not isinstance(result, tuple) or len(result) != 2 or not isinstance(result[1], dict):
                raise Unusable(_("{name} returned {what}, not the pair (loss, grads) with grads a dict").format(
                    name=name, what=describe(result)))
            grads = result[1]
            params = model.params
            arrays = {k: params[k] for k in keys}
            if not all(isinstance(a, np.ndarray) and a.dtype == np.float64 for a in arrays.values()):
                raise Unusable(_("{name}.params must hold float64 arrays (rng.normal gives them)").format(
                    name=self._class_name))
        except Unusable as error:
            self._param_error = str(error)
            return
        X, y = self._X, self._y

        def loss_of(_):
            return method(X.copy(), y.copy())[0]

        for key in keys:
            answer = grads.get(key)
            array = numbers(answer)
            self._param_norms[key] = None if array is None else _norm(array)
            try:
                numeric, coords = sampled_gradient(loss_of, arrays[key])
            except Exception as error:
                self._param_error = raised(name, error, measuring())
                return
            self._param_numeric_norms[key] = _norm(numeric) if coords is None else float("nan")
            self._param_numeric[key] = numeric
            if answer is None and key not in grads:
                self._param_ok[key], self._param_verdicts[key] = False, _("grads has no key {key!r}").format(key=key)
                continue
            self._param_ok[key], self._param_verdicts[key] = check(
                f"grads[{key!r}]", answer, numeric, coords,
                _("the numeric gradient of your {function}'s loss").format(function=name), self.sizes["N"])

    # --- the picked layer -----------------------------------------------------------------------------------------
    def _compute_layer(self) -> None:
        k = self._selected
        names = self._input_names(k)
        self._layer = layer = {"kind": self._kind(k), "inputs": {}, "upstream": None, "local": {},
                               "shown": {}, "numeric": {}, "ok": {n: False for n in names},
                               "wrong_cells": {}, "verdicts": {n: "" for n in names}, "errors": []}
        if not self._up:
            return
        if k == "loss":
            scores = self._values[self.L]
            layer["inputs"] = {names[0]: scores}
            layer["upstream"] = np.ones((1, 1))
            numeric = self._up[self.L]
            layer["numeric"] = {names[0]: numeric}
            self._judge(layer, names[0], self._ds, numeric, None,
                        _("the numeric gradient of your {function}").format(function=self._loss_name))
            return
        kind = self._kind(k)
        inputs = self._layer_inputs(k, self._values[k - 1])
        layer["inputs"] = dict(zip(names, inputs))
        layer["upstream"] = self._up[k]
        if kind in self.local:
            self._compute_local(layer, k, inputs)
        if not self._measure_layer(layer, k, inputs):
            return
        try:
            answers = self._run_backward(k, inputs)
        except Unusable as error:
            layer["errors"].append(str(error))
            layer["backward_error"] = str(error)
            return
        for name in names:
            self._judge(layer, name, answers[name], layer["numeric"][name], layer["coords"][name],
                        _("the numeric gradient of your {function}").format(function=self._names[kind][0]))

    def _compute_local(self, layer: dict, k: int, inputs: tuple) -> None:
        """The local parts of layer k given by the notebook, their labels with the layer's indices."""
        kind = self._kind(k)
        try:
            parts = local_parts(f"local[{kind!r}]", self.local[kind], inputs)
            layer["local"] = {label.replace("⁽ᵏ⁻¹⁾", _sup(k - 1)).replace("⁽ᵏ⁾", _sup(k)): array
                              for label, array in parts.items()}
        except Unusable as error:
            layer["local"] = {}
            layer["errors"].append(str(error))

    def _measure_layer(self, layer: dict, k: int, inputs: tuple) -> bool:
        """The numeric gradients of the student's forward of layer k through the measured upstream gradient, into
        ``layer``; False (and the reason in its errors) when the forward raised."""
        kind = self._kind(k)
        forward = self._functions[kind][0]
        for i, name in enumerate(self._input_names(k)):
            def out_of(v, i=i):
                args = [v.copy() if j == i else a.copy() for j, a in enumerate(inputs)]
                return forward(*args)[0]

            try:
                layer["numeric"][name], coords = sampled_gradient(out_of, inputs[i].copy(), self._up[k])
            except Exception as error:
                layer["errors"].append(raised(self._names[kind][0], error, measuring(name)))
                layer["numeric"] = {}
                return False
            layer.setdefault("coords", {})[name] = coords
        return True

    def _run_backward(self, k: int, inputs: tuple) -> dict:
        """{input name: the student's gradient} from the backward function of layer k."""
        kind, names, dout = self._kind(k), self._input_names(k), self._up[k]
        backward_name = self._names[kind][1]
        _out, cache = self._forward_layer(k, inputs[0])
        shapes = ", ".join([f"∂c/∂X{_sup(k)} {dout.shape}"] + [f"{n} {a.shape}" for n, a in zip(names, inputs)])
        grads = call(backward_name, self._functions[kind][1], dout.copy(), cache, context=shapes_here(shapes))
        if len(names) == 1:
            if isinstance(grads, (tuple, list)) and len(grads) == 1:
                grads = grads[0]
            return {names[0]: grads}
        listed = ", ".join(f"d{n}" for n in names)
        if not isinstance(grads, (tuple, list)) or len(grads) != len(names):
            raise Unusable(_("{name} returned {what}, not a tuple of {count} gradients ({listed})").format(
                name=backward_name, what=describe(grads), count=len(names), listed=listed))
        return dict(zip(names, grads))

    def _judge(self, layer, name, answer, numeric, coords, expected) -> None:
        layer["ok"][name], layer["verdicts"][name] = check(f"d{name}", answer, numeric, coords, expected,
                                                           self.sizes["N"])
        array = numbers(answer) if not (isinstance(answer, (tuple, list)) and len(answer) > 1) else None
        if array is not None:
            layer["shown"][name] = array
        layer["wrong_cells"][name] = (wrong_cells(array, numeric)
                                      if array is not None and array.shape == numeric.shape else [])

    # --- what is shown ----------------------------------------------------------------------------------------------
    def _lines(self) -> list[tuple[bool, str]]:
        lines = []
        layer = self._layer
        if self._up and not layer.get("backward_error") and layer["numeric"]:
            bad = [(False, verdict_line(f"d{n}", layer["verdicts"][n])) for n in layer["inputs"] if not layer["ok"][n]]
            if bad:
                lines += bad
            else:
                listed = ", ".join(f"d{n}" for n in layer["inputs"])
                what = self._loss_name if self._selected == "loss" else self._names[layer["kind"]][1]
                lines.append((True, ngettext("{function}: {listed} agrees with the numeric gradient.",
                                             "{function}: {listed} agree with the numeric gradient.",
                                             len(layer["inputs"])).format(function=what, listed=listed)))
        if self._up and not self._param_error and self._param_ok:
            bad = [(False, verdict_line(f"{self._class_name}.loss_and_gradients",
                                        verdict_line(f"grads[{k!r}]", self._param_verdicts[k])))
                   for k in self._param_ok if not self._param_ok[k]]
            lines += bad or [(True, _("{name}.loss_and_gradients: every parameter gradient agrees with the numeric "
                                      "gradient of its loss.").format(name=self._class_name))]
        return lines

    def _errors_shown(self) -> list[str]:
        errors = list(self._errors) + list(self._layer.get("errors", []))
        if self._param_error:
            errors.append(self._param_error)
        return errors

    def _show(self) -> None:
        self._show_message()
        position = self.order.index(self._selected)
        self.prev_button.disabled = position == 0
        self.next_button.disabled = position == len(self.order) - 1
        self._show_figure(self.image, self.draw())
        self._show_figure(self.norms_image, self.draw_norms())

    def _layer_figure(self) -> Figure:
        k, layer, L = self._selected, self._layer, self.L
        names = list(layer["inputs"])
        if k == "loss":
            upstream = [Panel("∂c/∂c", np.ones(1), xlabels=["c"], shape=_("the start of the backward pass"))]
            middle = (_("input of the loss"), [Panel(f"S = X{_sup(L)}", layer["inputs"][names[0]],
                                                      shape=dimensions(layer["inputs"][names[0]]))])
            title = _("The loss: c = {loss}(S, y) = {c}, y = {y}").format(loss=self._loss_name, c=fmt(self._c),
                                                                         y=self._y.tolist())
        else:
            upstream = [Panel(f"∂c/∂X{_sup(k)}" + (" = ∂c/∂S" if k == L else ""), layer["upstream"],
                               shape=dimensions(layer["upstream"]) + "  ·  " + _("measured"))]
            if layer["local"]:
                middle = (local_heading(),
                          [Panel(label, v, shape=dimensions(v)) for label, v in layer["local"].items()])
            else:
                middle = (inputs_heading(),
                          [Panel(n, v, shape=dimensions(v)) for n, v in layer["inputs"].items()])
            forward_name, backward_name = self._names[layer["kind"]]
            title = _("{layer}  ·  your {forward} / {backward}").format(layer=self._label(k, of=L),
                                                                        forward=forward_name, backward=backward_name)
        if layer.get("backward_error") or not layer["numeric"]:
            reason = layer.get("backward_error") or (layer["errors"] or ["?"])[-1]
            downstream = [Panel(", ".join(f"∂c/∂{n}" for n in names), text=reason, width=3.2)]
        else:
            downstream = [gradient_panel(f"∂c/∂{name}", layer["shown"].get(name), layer["numeric"][name],
                                         layer["ok"][name], layer["verdicts"][name], layer["wrong_cells"][name])
                          for name in names]
        whose = self._loss_name if k == "loss" else self._names[layer["kind"]][1]
        groups = [(upstream_heading(), COLORS["selected"], upstream),
                  (middle[0], COLORS["flow"], middle[1]),
                  (_("downstream gradients\n(gradients aval): your {function}").format(function=whose), COLORS["flow"],
                   downstream)]
        N, D, H, C = (self.sizes[s] for s in "NDHC")
        note = _("sample {count}: a random mini-batch of N = {N} rows (D = {D}, H = {H}, C = {C}, L = {L}) and your "
                 "{name}'s parameters · upstream: measured through the layers above (what a correct backward pass "
                 "brings to this layer) · black ticks on bars, ≠ in cells: the numeric gradient; red: where yours "
                 "differs").format(count=self._count, N=N, D=D, H=H, C=C, L=L, name=self._class_name)
        return panel_figure(title, groups, note)

    def _norms_figure(self) -> Figure:
        L = self.L
        layers = list(range(L, -1, -1))
        labels = [f"X{_sup(k)}" for k in layers]
        labels[0] += " = S"
        labels[-1] += " = X"
        highlight = None if self._selected == "loss" else layers.index(self._selected)
        flow = Panel(_("‖∂c/∂X⁽ᵏ⁾‖ at the output of each layer (measured)"),
                      np.array([_norm(self._up[k]) for k in layers]), xlabels=labels, highlight=highlight,
                      width=max(2.6, 0.42 * len(layers)))
        keys = list(self._params)
        key_labels = [f"{k[0]}{_sup(k[1:])}" for k in keys]
        if self._param_error:
            params = Panel("‖∂c/∂W⁽ᵏ⁾‖, ‖∂c/∂b⁽ᵏ⁾‖", text=self._param_error, width=3.6)
        else:
            values = np.array([np.nan if self._param_norms.get(k) is None else self._param_norms[k] for k in keys])
            numeric = np.array([self._param_numeric_norms.get(k, np.nan) for k in keys])
            wrong = np.array([not self._param_ok.get(k, False) for k in keys])
            bad = [k for k in keys if not self._param_ok.get(k, False)]
            verdict = (True, _("every parameter gradient matches the numeric gradient")) if not bad else \
                (False, ngettext("{keys} differs from the numeric gradient (the messages under the figure above say "
                                 "how)",
                                 "{keys} differ from the numeric gradient (the messages under the figure above say "
                                 "how)", len(bad)).format(keys=", ".join(bad)))
            params = Panel(_("‖∂c/∂W⁽ᵏ⁾‖, ‖∂c/∂b⁽ᵏ⁾‖ of each FC layer"), values, numeric=numeric, wrong=wrong,
                            xlabels=key_labels, verdict=verdict, width=max(2.6, 0.42 * len(keys)))
        groups = [(_("the gradient flowing down the stack"), COLORS["flow"], [flow]),
                  (_("your {name}.loss_and_gradients").format(name=self._class_name), COLORS["selected"], [params])]
        note = _("‖·‖: the square root of the sum of the squared entries · highlighted: the output of the picked "
                 "layer, where its upstream gradient comes from · black ticks: the norm of the numeric gradient of the "
                 "loss that your loss_and_gradients returns")
        return panel_figure(_("The whole stack (L = {L}): gradient norms from the loss down to X").format(L=L), groups,
                            note)
