"""``GradientFlow``: watch the gradients flow backward through a computational graph (notebook 01).

The graph of ``course.graph`` is drawn left to right (inputs on the left, the output on the right). Sliders set
the free variables; a node picker (with Previous / Next buttons) walks through the nodes in backward order, the
output first. For the selected node the widget shows, with the words of the course (document 000, Figure 10):

- the **upstream gradient** (gradient amont) it receives: d output / d node;
- its **local gradients** (gradients locaux): the derivative of the node with respect to each of its inputs;
- the **downstream gradients** (gradients aval) it sends to each input: upstream × local.

The library knows no derivative rule, so every derivative shown is either *measured* (central differences on
``compute`` for a local gradient, on ``value_with`` for d output / d node) or computed by the *student's*
``local_gradients(op, *input_values)`` when it is given. In that case each of its answers is compared with the
measured one, and every edge of the graph where they disagree is drawn in red with both numbers. Where no
derivative exists (a ReLU exactly at 0) the student's answer is compared with the course's convention, 0.
Inputs are counted from 0, as in ``node.inputs[i]``: "input 0 of logb, the base b".

    from course.widgets import GradientFlow
    GradientFlow(e, local_gradients=local_gradients)       # e.evaluate(a=3, b=5) before
"""
from __future__ import annotations

import html
import math
from collections import Counter
from typing import Callable, Iterable, NamedTuple

import ipywidgets as widgets
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from course.gradcheck import close
from course.i18n import _, ngettext, separated
from course.graph import (RELU_AT_ZERO, SYMBOL, Node, free_variables, input_label, numeric_local,
                          numeric_output_derivative, topological_order, users)
from course.widgets.base import GradientWidget
from course.widgets.drawing import COLORS, DPI, fmt, inch_canvas, measure, png, wrap, write_heading

__all__ = ["GradientFlow"]

# Geometry of the drawing, in inches (the axes are in inches too, so fonts and boxes keep their proportions
# whatever the size of the graph).
COLUMN_WIDTH = 1.9       # from one layer to the next
ROW_HEIGHT = 0.9         # from one node to the next in a layer
BOX_WIDTH = 0.72
BOX_HEIGHT = 0.56
CONST_HEIGHT = 0.30
MARGIN = 0.35
VIEW_COLUMNS = 5         # a wider graph is shown through a window of 5 layers (9.5 in) that follows the selection
MAX_PIXELS = 9000        # the longest side of the PNG, at most (huge graphs get a lower DPI)

# --- numbers ---------------------------------------------------------------------------------------------------
def _measured_local(op: str, inputs: tuple[float, ...], i: int) -> float:
    """d op / d input i at ``inputs``, measured on ``compute``."""
    return numeric_local(op, *inputs)[i]


def _is_kink(op: str, inputs: tuple[float, ...]) -> bool:
    """True where the operation has no derivative (ReLU exactly at 0): the course's convention decides there."""
    return op == "relu" and inputs[0] == 0


# At a kink no slope can be measured (the central difference gives the mean of the two sides, 0.5 for ReLU):
# notebook 01 states the convention, a local gradient of 0 (the frameworks' choice), and the widget checks it.
KINK_CONVENTION = RELU_AT_ZERO



def _agrees(student: float, numeric: float) -> bool:
    """course.gradcheck's pass rule, the grader's: |student - numeric| <= ATOL + RTOL |numeric|."""
    if math.isnan(numeric):
        return True                 # nothing to compare with
    return bool(close(student, numeric))


# --- labels -------------------------------------------------------------------------------------------------------
def _expression(node: Node, name: Callable[[Node], str]) -> str:
    """How the node is computed from its inputs, e.g. "c = a + b", "h1 = ReLU(z)", "y = log_2(e1)"."""
    args = [name(i) for i in node.inputs]
    op = node.op
    if op in ("add", "sub", "mul", "div"):
        body = f"{args[0]} {SYMBOL[op]} {args[1]}"
    elif op == "neg":
        body = f"−{args[0]}"
    elif op == "inv":
        body = f"1/{args[0]}"
    elif op == "pow":
        body = f"{args[0]}^{args[1]}"
    elif op == "logb":
        body = f"log_{args[0]}({args[1]})"
    else:
        body = f"{SYMBOL[op]}({args[0]})"
    return f"{name(node)} = {body}"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _call_text(op: str, inputs: Iterable[float]) -> str:
    """The call the widget makes, as the student would write it: local_gradients('mul', 8, 6)."""
    return f"local_gradients({', '.join([repr(op)] + [fmt(v) for v in inputs])})"


# --- layout ---------------------------------------------------------------------------------------------------------
def _isotonic_with_gaps(targets: list[float], weights: list[float], gap: float) -> list[float]:
    """The positions y_0 < y_1 < ... (y_{k+1} - y_k >= gap) closest to ``targets`` in weighted least squares
    (pool adjacent violators on t_k - k gap): heavy nodes stay put, light ones make room."""
    blocks: list[list] = []                 # [weighted mean, total weight, count]
    for k, (t, w) in enumerate(zip(targets, weights)):
        blocks.append([t - k * gap, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, weight, count = blocks.pop()
            last = blocks[-1]
            blocks[-1] = [(last[0] * last[1] + mean * weight) / (last[1] + weight), last[1] + weight,
                          last[2] + count]
    out = []
    for mean, _weight, count in blocks:
        out.extend([mean] * count)
    return [z + k * gap for k, z in enumerate(out)]


def layered_layout(order: list[Node]) -> tuple[dict[Node, int], dict[Node, float]]:
    """Column and row of every node. An operation's column is the longest path from the leaves to it (so the
    output is last); a leaf (variable or constant) sits in the column just before its first user, next to where
    it is used. Rows: a few sweeps that move each node toward the mean row of its neighbours (fewer crossings,
    straighter edges), nodes of a column kept at least one row apart. Operations follow the operations they
    come from and leaves make room around them (so a long chain with a constant at each step stays level)."""
    used_by = users(order[-1])
    column: dict[Node, int] = {}
    for node in order:
        column[node] = 1 + max(column[i] for i in node.inputs) if node.inputs else 0
    for node in order:
        if not node.inputs and used_by[node]:
            column[node] = min(column[u] for u, _ in used_by[node]) - 1
    shift = min(column.values())
    column = {n: c - shift for n, c in column.items()}

    layers: dict[int, list[Node]] = {}
    for node in order:                      # topological order first: a stable start
        layers.setdefault(column[node], []).append(node)
    row: dict[Node, float] = {}
    for nodes in layers.values():
        for k, node in enumerate(nodes):
            row[node] = k - (len(nodes) - 1) / 2

    def neighbours_mean(node, forward):
        if forward:
            near = [i for i in node.inputs if i.inputs] or list(node.inputs)
        else:
            near = [u for u, _ in used_by[node]]
        return sum(row[n] for n in near) / len(near) if near else row[node]

    columns = sorted(layers)
    for sweep in range(8):
        forward = sweep % 2 == 0
        for c in (columns[1:] if forward else reversed(columns[:-1])):
            nodes = sorted(layers[c], key=lambda n: (neighbours_mean(n, forward), row[n]))
            placed = _isotonic_with_gaps([neighbours_mean(n, forward) for n in nodes],
                                         [1000.0 if n.inputs else 1.0 for n in nodes], 1.0)
            layers[c] = nodes
            row.update(zip(nodes, placed))
    return column, row


def _require_values(output: Node) -> None:
    """TypeError or ValueError, in plain words, unless ``output`` is a graph with a value at every variable that
    can be computed; computes every node from the variables' current values."""
    if not isinstance(output, Node):
        raise TypeError(_("GradientFlow needs the output node of a course.graph graph, not {output!r}").format(
            output=output))
    missing = [v.name for v in free_variables(output) if v.value is None]
    if missing:
        raise ValueError(_("GradientFlow needs a graph with values: evaluate it first, e.g. {call}; no value for: "
                           "{names}").format(call=f"{output.name}.evaluate({', '.join(f'{m}=...' for m in missing)})",
                                             names=", ".join(missing)))
    try:
        output.evaluate()
    except ValueError as error:
        raise ValueError(_("GradientFlow: the graph cannot be computed at its current values: {error}").format(
            error=error)) from None


def _node_names(order: list[Node]) -> dict[Node, str]:
    """The name shown for each node. Unnamed operations are numbered within this graph (mul1, mul2, ...), not by
    the library's global counter (mul1491); a name that still appears twice gets the node's id."""
    shown, per_op = {}, Counter()
    for n in order:
        if n.auto_named and n.op not in ("var", "const"):
            per_op[n.op] += 1
            shown[n] = f"{n.op}{per_op[n.op]}"
        else:
            shown[n] = n.name
    counts = Counter(shown.values())
    return {n: shown[n] if counts[shown[n]] == 1 else f"{shown[n]}#{n.id}" for n in order}


# --- the widget -------------------------------------------------------------------------------------------------
class GradientFlow(GradientWidget):
    """Sliders, a node picker and a drawing of the graph that ends at ``output``, with the upstream, local and
    downstream gradients of the selected node.

    ``local_gradients``: the student's function ``local_gradients(op, *input_values) -> tuple`` (one local
    gradient per input); without it every local gradient is measured numerically.
    ``sliders``: names of the free variables that get a slider, in this order (default: all of them, in the
    order of the drawing).
    ``slider_range``: ``(min, max)`` for every slider, or ``{name: (min, max)}``; default: around the value.

    The parts, for notebooks and tests: ``sliders`` (name -> FloatSlider), ``picker`` (Dropdown of the nodes in
    backward order), ``prev_button``, ``next_button``, ``panel`` (HTML), ``image`` (the drawing, a PNG).
    ``state()`` returns what is shown as plain data.
    """

    css = "gradient-flow"

    def __init__(self, output: Node, local_gradients: Callable | None = None,
                 sliders: Iterable[str] | None = None,
                 slider_range: tuple[float, float] | dict | None = None):
        _require_values(output)
        self.output = output
        self.local_gradients = local_gradients
        self._order = topological_order(output)
        self._free = free_variables(output)
        self._key = _node_names(self._order)
        self._node = {k: n for n, k in self._key.items()}
        self._users = users(output)
        self._column, self._row = layered_layout(self._order)
        # Backward order: the output first, every node before its inputs. Constants are left out (nothing to
        # learn there: no inputs, and no one asks for d output / d constant); free variables are kept, as their
        # upstream gradient is the partial derivative that backpropagation is for.
        self._backward = [n for n in reversed(self._order) if n.op != "const" or n is output]
        self._selected = output
        self._error = ""                     # why the last slider move could not be computed ("" if it could)
        self._last_good = {v.name: v.value for v in self._free}
        self.sliders = self._make_sliders(sliders, slider_range)
        self._open(self._make_controls())
        self._analyze()
        self._show()

    def _make_sliders(self, sliders, slider_range) -> dict[str, widgets.FloatSlider]:
        names = [v.name for v in self._free]
        # by default in the order of the drawing: left to right, then top to bottom
        drawn = [v.name for v in sorted(self._free, key=lambda v: (self._column[v], self._row[v]))]
        chosen = drawn if sliders is None else list(sliders)
        unknown = [s for s in chosen if s not in names]
        if unknown:
            raise ValueError(_("sliders: not free variables of this graph: {unknown} (free variables: {names})").format(
                unknown=", ".join(unknown), names=", ".join(names)))
        made = {}
        for name in chosen:
            var = next(v for v in self._free if v.name == name)
            low, high = self._range(name, var.value, slider_range)
            step = _nice_step(high - low)
            decimals = max(0, -math.floor(math.log10(step)))
            slider = widgets.FloatSlider(
                value=var.value, min=low, max=high, step=step, description=name, continuous_update=False,
                readout_format=f".{decimals}f", style={"description_width": "initial"},
                layout=widgets.Layout(width="300px"))
            slider.add_class("gradient-flow-slider")
            slider.observe(self._on_slider, names="value")
            made[name] = slider
        return made

    def _make_controls(self) -> list[widgets.Widget]:
        """The rows of the widget: the sliders; the node picker with its buttons; the drawing and the panel."""
        self.picker = widgets.Dropdown(options=[(self._label(n), self._key[n]) for n in self._backward],
                                       value=self._key[self.output], description=_("node"),
                                       style={"description_width": "initial"})
        self.picker.add_class("gradient-flow-node-picker")
        self.picker.observe(self._on_pick, names="value")
        self._make_steps(_("the node before in backward order (toward the output)"),
                         _("the next node in backward order (toward the inputs)"))

        self.panel = widgets.HTML(layout=widgets.Layout(min_width="320px", max_width="560px", padding="0 8px"))
        self.panel.add_class("gradient-flow-panel")
        self.image = self._make_image()
        self._view = None                    # the first layer shown in the window on a wide graph
        self.whole = widgets.Checkbox(value=False, description=_whole_graph(), indent=False,
                                      tooltip=_("draw the whole graph (scroll to see it) instead of the part "
                                                "around the selected node"), layout=widgets.Layout(width="auto"))
        self.whole.add_class("gradient-flow-whole")
        self.whole.observe(lambda _: self._show(), names="value")
        picture = self._scrolling(self.image, flex="0 1 auto")

        slider_box = widgets.HBox(list(self.sliders.values()), layout=widgets.Layout(flex_flow="row wrap"))
        controls = widgets.HBox([self.prev_button, self.picker, self.next_button],
                                layout=widgets.Layout(align_items="center"))
        if max(self._column.values()) + 1 > VIEW_COLUMNS:
            controls.children += (self.whole,)
        body = widgets.HBox([picture, self.panel], layout=widgets.Layout(flex_flow="row wrap",
                                                                         align_items="flex-start"))
        return [slider_box, controls, body]

    # --- public ---------------------------------------------------------------------------------------------------
    def select(self, name: str) -> None:
        """Select a node by name (as in the picker)."""
        self.picker.value = name

    def refresh(self) -> None:
        """Read the graph's values again (after ``evaluate`` was called elsewhere) and redraw."""
        for var in self._free:
            if var.name in self.sliders:
                slider = self.sliders[var.name]
                slider.unobserve(self._on_slider, names="value")
                slider.min, slider.max = min(slider.min, var.value), max(slider.max, var.value)
                slider.value = var.value
                slider.observe(self._on_slider, names="value")
        self._on_slider(None)

    def state(self) -> dict:
        """What the widget shows, as plain data:

        ``values`` {name: value} of every node; ``gradients`` {name: d output / d node} (measured);
        ``selected`` the selected node's name; ``upstream`` its upstream gradient; ``inputs`` one dict per input
        of it: ``name``, ``local`` (the one shown: the student's when usable, else measured), ``numeric_local``,
        ``downstream`` (= upstream × local), ``ok`` (False when the student's local gradient disagrees),
        ``source`` ("student" or "numeric"), ``note``; ``wrong_edges`` every edge where the student's local
        gradient disagrees: (input name, node name, i, student's, measured), with ``i`` counted from 0 as in
        ``node.inputs[i]`` and the measured value replaced by the convention (0) at a ReLU's kink;
        ``student_errors`` {node name:
        why the student's function could not be used there}; ``order`` the picker's order; ``message`` the
        notices shown above the panel ("" when there are none).
        """
        node = self._selected
        return {
            "values": {self._key[n]: n.value for n in self._order},
            "gradients": {self._key[n]: g for n, g in self._upstream.items()},
            "selected": self._key[node],
            "upstream": self._upstream[node],
            "inputs": [dict(entry) for entry in self._inputs_of(node)],
            "wrong_edges": [(self._key[c], self._key[n], i, s, m) for c, n, i, s, m in self._wrong],
            "student_errors": {self._key[n]: m for n, m in self._student_error.items()},
            "order": [self._key[n] for n in self._backward],
            "message": self._message(),
        }

    def draw(self) -> Figure:
        """The matplotlib figure of what is shown (a new figure each time, not attached to pyplot)."""
        return self._figure()

    # --- events ---------------------------------------------------------------------------------------------------
    def _on_slider(self, _change) -> None:
        given = {name: float(s.value) for name, s in self.sliders.items()}
        before = {n: n.value for n in self._order}
        try:
            self.output.evaluate(**given)
        except ValueError as error:
            for n, v in before.items():      # evaluate() stops half way: put every value back
                n.value = v
            at = ", ".join(f"{k} = {fmt(v)}" for k, v in given.items())
            kept = ", ".join(f"{k} = {fmt(v)}" for k, v in self._last_good.items())
            self._error = _("At {at} the graph cannot be computed: {error}. The drawing still shows the last values "
                            "that could be computed ({kept}).").format(at=at, error=error, kept=kept)
            self._show(redraw=False)
            return
        self._error = ""
        self._last_good = {v.name: v.value for v in self._free}
        self._analyze()
        self._show()

    def _on_pick(self, change) -> None:
        self._selected = self._node[change["new"]]
        self._show()

    def _move(self, step: int) -> None:
        k = self._backward.index(self._selected) + step
        if 0 <= k < len(self._backward):
            self.picker.value = self._key[self._backward[k]]

    # --- what is computed -------------------------------------------------------------------------------------
    def _range(self, name, value, slider_range) -> tuple[float, float]:
        given = slider_range.get(name) if isinstance(slider_range, dict) else slider_range
        if given is not None:
            low, high = map(float, given)
            if not low < high:
                raise ValueError(_("slider_range for {name}: need min < max, got {given!r}").format(name=name,
                                                                                                  given=given))
            return min(low, value), max(high, value)
        span = 2 * max(1.0, abs(value))
        return float(math.floor(value - span)), float(math.ceil(value + span))

    def _analyze(self) -> None:
        """Everything that depends on the values: measured local gradients, the student's, d output / d node."""
        self._local: dict[tuple[Node, int], dict] = {}
        self._student_error: dict[Node, str] = {}
        self._wrong: list[tuple[Node, Node, int, float, float]] = []
        for node in self._order:
            if not node.inputs:
                continue
            inputs = tuple(i.value for i in node.inputs)
            kink = _is_kink(node.op, inputs)
            student = self._ask_student(node, inputs)
            for i, child in enumerate(node.inputs):
                numeric = _measured_local(node.op, inputs, i)
                entry = {"name": self._key[child], "numeric_local": numeric, "local": numeric,
                         "source": "numeric", "ok": True, "note": ""}
                if kink:
                    entry["note"] = _("ReLU is not differentiable at 0: the course's convention is a local "
                                      "gradient of 0 there (as in the frameworks); the measured one, the mean of "
                                      "the two slopes, is not a derivative")
                elif math.isnan(numeric):
                    entry["note"] = _("could not be measured numerically here")
                if student is not None:
                    entry["local"], entry["source"] = student[i], "student"
                    reference = KINK_CONVENTION if kink else numeric
                    if (student[i] != reference) if kink else not _agrees(student[i], numeric):
                        entry["ok"] = False
                        self._wrong.append((child, node, i, student[i], reference))
                self._local[node, i] = entry
        self._upstream: dict[Node, float] = {}
        for node in self._order:
            if node is self.output:
                self._upstream[node] = 1.0
            else:
                self._upstream[node] = numeric_output_derivative(self.output, node)

    def _ask_student(self, node: Node, inputs: tuple[float, ...]) -> tuple[float, ...] | None:
        """The student's local gradients of ``node``, or None (and the reason in ``_student_error``)."""
        if self.local_gradients is None:
            return None
        call = _call_text(node.op, inputs)
        try:
            answer = self.local_gradients(node.op, *inputs)
        except Exception as error:           # a blank notebook raises NotImplementedError; anything may happen
            self._student_error[node] = (_("{call} raised {error_type}: {text}") if str(error) else
                                         _("{call} raised {error_type}")).format(
                call=call, error_type=type(error).__name__, text=error)
            return None
        n = len(inputs)
        # TRANSLATORS: what local_gradients must return, in "... returned 3, not a tuple of 2 numbers (...)".
        expected = ngettext("a tuple of {n} number (one local gradient per input)",
                            "a tuple of {n} numbers (one local gradient per input)", n).format(n=n)
        try:
            values = tuple(float(v) for v in answer)
        except TypeError:
            self._student_error[node] = _("{call} returned {shown}, not {expected}").format(
                call=call, shown=repr(answer)[:60], expected=expected)
            return None
        except ValueError:
            self._student_error[node] = _("{call} returned {shown}: not numbers").format(call=call,
                                                                                        shown=repr(answer)[:60])
            return None
        if len(values) != n:
            self._student_error[node] = ngettext("{call} returned {count} value instead of {n}: {expected}",
                                                 "{call} returned {count} values instead of {n}: {expected}",
                                                 len(values)).format(call=call, count=len(values), n=n,
                                                                     expected=expected)
            return None
        return values

    def _at_kink(self, node: Node) -> bool:
        return bool(node.inputs) and _is_kink(node.op, tuple(i.value for i in node.inputs))

    def _inputs_of(self, node: Node) -> list[dict]:
        up = self._upstream[node]
        out = []
        for i in range(len(node.inputs)):
            entry = dict(self._local[node, i])
            entry["downstream"] = up * entry["local"]
            out.append(entry)
        return out

    # --- what is shown ----------------------------------------------------------------------------------------
    def _name(self, node: Node) -> str:
        return self._key[node] if node.op != "const" else fmt(node.value)

    def _label(self, node: Node) -> str:
        if node.op == "var":
            return _("{name} (variable)").format(name=self._key[node])
        if node.op == "const":
            return _("{value} (constant)").format(value=fmt(node.value))
        return _expression(node, self._name)

    def _message(self) -> str:
        parts = []
        if self._error:
            parts.append(self._error)
        if self._student_error:
            first = next(iter(self._student_error.values()))
            more = len(self._student_error) - 1
            if more:
                text = ngettext("{first} (and on {more} other node). The drawing uses the measured local gradients "
                                "instead of yours where your function could not be used.",
                                "{first} (and on {more} other nodes). The drawing uses the measured local gradients "
                                "instead of yours where your function could not be used.", more)
            else:
                text = _("{first}. The drawing uses the measured local gradients instead of yours where your function "
                         "could not be used.")
            parts.append(text.format(first=first, more=more))
        if self._wrong:
            shown = separated(
                (_("∂{node}/∂{input} ({label}): yours {yours}, the course's convention at the kink {value}")
                 if self._at_kink(n) else _("∂{node}/∂{input} ({label}): yours {yours}, numeric {value}")).format(
                    node=self._key[n], input=self._key[c], label=input_label(n.op, i), yours=fmt(s), value=fmt(m))
                for c, n, i, s, m in self._wrong[:6])
            # TRANSLATORS: "{more}" is empty, or "; and 3 more" after a list of edges.
            more = _("; and {count} more").format(count=len(self._wrong) - 6) if len(self._wrong) > 6 else ""
            parts.append(ngettext("Your local_gradients disagrees with the numeric derivative on {count} edge (in "
                                  "red): {edges}{more}.",
                                  "Your local_gradients disagrees with the numeric derivative on {count} edges (in "
                                  "red): {edges}{more}.", len(self._wrong)).format(
                count=len(self._wrong), edges=shown, more=more))
        return "\n".join(parts)

    def _show(self, redraw: bool = True) -> None:
        k = self._backward.index(self._selected)
        self.prev_button.disabled = k == 0
        self.next_button.disabled = k == len(self._backward) - 1
        self.panel.value = self._panel_html()
        if redraw:
            self.image.value = png(self._figure())

    def _panel_html(self) -> str:
        node, out = self._selected, self._key[self.output]
        name = self._key[node]
        up = self._upstream[node]
        k = self._backward.index(node)
        parts = []
        for line in self._message().split("\n"):
            if line:
                parts.append(f'<div style="color:{COLORS["wrong"]};border-left:3px solid {COLORS["wrong"]};'
                             f'padding-left:6px;margin-bottom:6px">{_esc(line)}</div>')
        title = _("free variable") if node.op == "var" else _("constant") if node.op == "const" else \
            _esc(_expression(node, self._name))
        parts.append(_("<div><b>{name}</b>: {title}, value {value} <span style='color:#777'>(step {step} of {steps} "
                       "backward)</span></div>").format(name=_esc(name), title=title, value=fmt(node.value),
                                                        step=k + 1, steps=len(self._backward)))
        if node is self.output:
            receives = _("{name} is the output: its upstream gradient is ∂{out}/∂{out} = 1, where backpropagation "
                         "starts.").format(name=_esc(name), out=_esc(out))
        else:
            receives = _("∂{out}/∂{name} = {value} (measured numerically).").format(out=_esc(out), name=_esc(name),
                                                                                   value=fmt(up))
        parts.append(_("<p><b>Upstream gradient</b> (gradient amont) received by {name}: {receives}</p>").format(
            name=_esc(name), receives=receives))

        if node.inputs:
            parts += self._gradients_html(node)
        else:
            parts.append(_("<p>{name} has no inputs: nothing flows further back. Its upstream gradient ∂{out}/∂{name} "
                           "= {value} is what backpropagation computes it for.</p>").format(
                               name=_esc(name), out=_esc(out), value=fmt(up)))
        if node is not self.output:
            parts.append(self._origin_html(node))
        return f"<div style='font-size:13px;line-height:1.45'>{''.join(parts)}</div>"

    def _gradients_html(self, node: Node) -> list[str]:
        """The local gradients of ``node`` (the student's, checked, or measured) and the downstream gradients."""
        name, up = self._key[node], self._upstream[node]
        parts = []
        entries = self._inputs_of(node)
        inputs = tuple(i.value for i in node.inputs)
        if self.local_gradients is None:
            source = _("measured numerically (no local_gradients given)")
        elif node in self._student_error:
            source = _("{error}; showing the measured ones instead").format(
                error=f"<span style='color:{COLORS['wrong']}'>{_esc(self._student_error[node])}</span>")
        else:
            source = _("from your {call}").format(call=_esc(_call_text(node.op, inputs)))
        twice = Counter(entry["name"] for entry in entries)
        shown = [_esc(entry["name"]) + (" " + _("(input {i})").format(i=i) if twice[entry["name"]] > 1 else "")
                 for i, entry in enumerate(entries)]
        items = []
        for i, entry in enumerate(entries):
            line = f"∂{_esc(name)}/∂{shown[i]} = {fmt(entry['local'])}"
            if entry["source"] == "student":
                if entry["ok"]:
                    line += " ✓ " + _("(numeric {value})").format(value=fmt(entry["numeric_local"]))
                elif self._at_kink(node):
                    line = (f"<span style='color:{COLORS['wrong']}'>"
                            + _("{line} ✗ but the course's convention at the kink is {value}").format(
                                line=line, value=fmt(KINK_CONVENTION)) + "</span>")
                else:
                    line = (f"<span style='color:{COLORS['wrong']}'>"
                            + _("{line} ✗ but numerically it is {value}: check the rule of {op} with respect to "
                                "{input}").format(line=line, value=fmt(entry["numeric_local"]), op=_esc(node.op),
                                                  input=_esc(input_label(node.op, i, of=False))) + "</span>")
            if entry["note"]:
                line += f" <i>({_esc(entry['note'])})</i>"
            items.append(f"<li>{line}</li>")
        parts.append(_("<p><b>Local gradients</b> (gradients locaux) of {name}, {source}:</p>").format(
            name=_esc(name), source=source) + f"<ul style='margin-top:0'>{''.join(items)}</ul>")
        items = ["<li>" + _("downstream to {input} = upstream {upstream} × local {local} = {downstream}").format(
                     input=shown[i], upstream=fmt(up), local=fmt(entry["local"]), downstream=fmt(entry["downstream"]))
                 + "</li>" for i, entry in enumerate(entries)]
        parts.append(_("<p><b>Downstream gradients</b> (gradients aval) that {name} sends to its inputs:</p>").format(
            name=_esc(name)) + f"<ul style='margin-top:0'>{''.join(items)}</ul>")
        return parts

    def _origin_html(self, node: Node) -> str:
        """Where the upstream gradient of ``node`` comes from: the downstream gradients of its users, added."""
        name, out, up = self._key[node], self._key[self.output], self._upstream[node]
        uses = self._users[node]
        per_user = Counter(u for u, _ in uses)
        received = [(f"{_esc(self._key[u])}" + (" " + _("(input {i})").format(i=i) if per_user[u] > 1 else ""),
                     self._upstream[u] * self._local[u, i]["local"]) for u, i in uses]
        total = sum(g for _who, g in received)
        fields = dict(name=_esc(name), user=received[0][0], total=fmt(total), count=len(received),
                      terms=" + ".join(_("from {user} {value}").format(user=who, value=fmt(g)) for who, g in received),
                      out=_esc(out), numeric=fmt(up))
        agrees = _agrees(total, up)
        if len(received) == 1:
            line = (_("Where this upstream gradient comes from: {name} is used by {user} only, which sends it the "
                      "downstream gradient {total}.") if agrees else
                    _("Where this upstream gradient comes from: {name} is used by {user} only, which sends it the "
                      "downstream gradient {total} (but numerically ∂{out}/∂{name} = {numeric})."))
        else:
            line = (_("Where this upstream gradient comes from: {name} is used {count} times, so it adds up the "
                      "downstream gradients it receives: {terms} = {total}.") if agrees else
                    _("Where this upstream gradient comes from: {name} is used {count} times, so it adds up the "
                      "downstream gradients it receives: {terms} = {total} (but numerically ∂{out}/∂{name} = "
                      "{numeric})."))
        return f"<p style='color:#555'>{line.format(**fields)}</p>"

    # --- the drawing ------------------------------------------------------------------------------------------
    def _full_width(self) -> float:
        return max(5.5, 2 * MARGIN + max(self._column.values()) * COLUMN_WIDTH + BOX_WIDTH)

    def _window(self, ncols: int) -> tuple[int, int]:
        """The layers to show, first and last: all of them if they fit or if asked; else a window of
        VIEW_COLUMNS layers that moves only when the selected node (with its inputs, if they fit too) would
        leave it, and then puts the selected node second from the right: one layer shows where its upstream
        gradient comes from, the others leave room for the next steps backward (to the left)."""
        if ncols <= VIEW_COLUMNS or self.whole.value:
            return 0, ncols - 1
        here = self._column[self._selected]
        inputs = min([here] + [self._column[i] for i in self._selected.inputs])
        inputs = max(inputs, here - VIEW_COLUMNS + 1)
        first = self._view
        if first is None or inputs < first or here > first + VIEW_COLUMNS - 1:
            first = min(here - VIEW_COLUMNS + 2, inputs)
        first = max(0, min(first, ncols - VIEW_COLUMNS))
        self._view = first
        return first, first + VIEW_COLUMNS - 1

    def _figure(self) -> Figure:
        frame = self._frame()
        fig, ax = inch_canvas(frame.width, frame.height, frame.dpi, x0=frame.xa)
        write_heading(ax, frame.xa + MARGIN, frame.height - MARGIN, frame.title, frame.legend)
        occupied = []                        # rectangles (x0, y0, x1, y1) already drawn, kept free of labels
        sizes = self._draw_nodes(ax, frame, occupied)
        _place_labels(ax, self._draw_edges(ax, frame, sizes), occupied)
        return fig

    def _frame(self) -> _Frame:
        """Where the picture is: the layers shown, its size in inches, its title and legend, each node's centre."""
        ncols = max(self._column.values()) + 1
        rows = [self._row[n] for n in self._order]
        low, high = min(rows), max(rows)
        full = self._full_width()
        x0 = (full - (ncols - 1) * COLUMN_WIDTH) / 2
        first, last = self._window(ncols)
        if first == 0 and last == ncols - 1:
            xa, xb = 0.0, full
        else:                                # whole layers, and half a gap on each side for the edges
            xa, xb = x0 + (first - 0.5) * COLUMN_WIDTH, x0 + (last + 0.5) * COLUMN_WIDTH
        width = xb - xa
        out = self._key[self.output]
        step = self._backward.index(self._selected)
        title = _("Backward pass, step {step} of {steps}: node {node}").format(
            step=step + 1, steps=len(self._backward), node=self._key[self._selected])
        if self._error:
            title += "  " + _("(the last values that could be computed)")
        if last - first + 1 < ncols:
            title += "   " + _("[layers {first}–{last} of {count}: tick \"{whole}\" to see all]").format(
                first=first + 1, last=last + 1, count=ncols, whole=_whole_graph())
        # TRANSLATORS: the items of the legend are separated by " · " (the picture breaks its lines there).
        legend = _("orange: the selected node and its upstream gradient ∂{out}/∂node · blue: its local and "
                   "downstream gradients · green: ∂{out}/∂node of the nodes already visited").format(out=out)
        if self.local_gradients is not None:
            legend += " · " + _("red: your local gradient ≠ numeric")
        legend = wrap(legend, width - 2 * MARGIN, 7.5, separator=" · ")
        header = 0.42 + 0.14 * legend.count("\n") + 0.3
        graph_height = (high - low) * ROW_HEIGHT + BOX_HEIGHT + 0.2      # + the ∂ label under the lowest box
        height = 2 * MARGIN + header + graph_height
        top = height - MARGIN - header - BOX_HEIGHT / 2
        where = {n: (x0 + self._column[n] * COLUMN_WIDTH, top - (self._row[n] - low) * ROW_HEIGHT)
                 for n in self._order}
        return _Frame(xa, xb, width, height, min(DPI, MAX_PIXELS / max(width, height)), title, legend, where)

    def _draw_nodes(self, ax, frame: _Frame, occupied: list) -> dict:
        """Every node's box in the window, with its name and value, and ∂out/∂node under the nodes visited;
        returns the (width, height) of every node's box."""
        out, selected = self._key[self.output], self._selected
        visited = set(self._backward[:self._backward.index(selected) + 1])
        sizes = {}
        for n in self._order:
            x, y = frame.where[n]
            w, h = (0.45, CONST_HEIGHT) if n.op == "const" else (BOX_WIDTH, BOX_HEIGHT)
            sizes[n] = (w, h)
            if not frame.xa - COLUMN_WIDTH < x < frame.xb + COLUMN_WIDTH:
                continue                                      # out of the window: not drawn
            fill = COLORS["var"] if n.op == "var" else COLORS["const"] if n.op == "const" else COLORS["op"]
            edge, lw = "#555555", 1.0
            if n is selected:
                fill, edge, lw = COLORS["selected_fill"], COLORS["selected"], 2.6
            elif n in selected.inputs:
                fill = COLORS["input_fill"]
            ax.add_artist(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.07",
                                         facecolor=fill, edgecolor=edge, linewidth=lw, zorder=3))
            occupied.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
            if n.op == "const":
                ax.text(x, y, fmt(n.value), ha="center", va="center", fontsize=8, color="#444", zorder=4)
                continue
            rest = fmt(n.value) if n.op == "var" else f"{SYMBOL[n.op]}\n{fmt(n.value)}"
            lines = 1 + rest.count("\n")
            size = max(6.5, min(8.5, 8.5 * 8 / len(self._key[n])))    # long names in smaller letters
            ax.text(x, y + lines * 0.075, _shorten(self._key[n], 12), ha="center", va="center", zorder=4,
                    fontsize=size, fontweight="bold")
            ax.text(x, y - 0.075, rest, ha="center", va="center", zorder=4, fontsize=8.5, linespacing=1.25)
            if n in visited and not math.isnan(self._upstream[n]):
                color = COLORS["selected"] if n is selected else COLORS["visited"]
                weight = "bold" if n is selected else "normal"
                text = f"∂{out}/∂{self._key[n]} = {fmt(self._upstream[n])}"
                ty = y - h / 2 - 0.1
                ax.text(x, ty, text, ha="center", va="center", fontsize=7.5, color=color, zorder=6,
                        fontweight=weight,
                        bbox=dict(boxstyle="square,pad=0.05", facecolor="white", edgecolor="none", alpha=0.85))
                tw, th = measure(text, 7.5, weight)
                occupied.append((x - tw / 2 - 0.01, ty - th / 2 - 0.01, x + tw / 2 + 0.01, ty + th / 2 + 0.01))
        return sizes

    def _draw_edges(self, ax, frame: _Frame, sizes: dict) -> list:
        """Every edge in the window as an arrow (blue into the selected node, red where the student's local
        gradient is wrong); returns the labels these two kinds get: (priority, start, end, bend, text, colour)."""
        where, selected = frame.where, self._selected
        wrong = {(n, i): (s, m) for _, n, i, s, m in self._wrong}
        labels = []
        pairs = Counter((c, n) for n in self._order for c in n.inputs)
        seen = Counter()
        for n in self._order:
            for i, child in enumerate(n.inputs):
                seen[child, n] += 1
                if max(where[child][0], where[n][0]) < frame.xa or min(where[child][0], where[n][0]) > frame.xb:
                    continue
                rad = 0.0
                if pairs[child, n] > 1:                       # x * x: one arc above, one below
                    k = seen[child, n]
                    rad = 0.3 * (1 if k % 2 else -1) * ((k + 1) // 2)
                elif self._column[n] - self._column[child] > 1:   # long edges bend around the boxes between
                    between = [(where[m], sizes[m]) for m in self._order
                               if self._column[child] < self._column[m] < self._column[n]]
                    rad = _bend_around(where[child], where[n], sizes[child], sizes[n], between)
                incoming, is_wrong = n is selected, (n, i) in wrong
                color, lw, z = COLORS["edge"], 1.0, 1
                if incoming:
                    color, lw, z = COLORS["flow"], 2.4, 2
                if is_wrong:
                    color, lw, z = COLORS["wrong"], 2.4, 2
                start = _leave_box(where[child], where[n], sizes[child], rad)
                end = _leave_box(where[n], where[child], sizes[n], -rad)
                ax.add_artist(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=11,
                                              connectionstyle=f"arc3,rad={rad}", color=color, linewidth=lw,
                                              zorder=z, shrinkA=1, shrinkB=1))
                if incoming or is_wrong:
                    labels.append((0 if incoming else 1, start, end, rad, self._edge_text(n, i, wrong), color))
        return labels

    def _edge_text(self, n: Node, i: int, wrong: dict) -> str:
        """The label of input i's edge into n: the local gradient (the student's and the measured one when they
        differ), and the downstream gradient when n is the selected node."""
        entry = self._local[n, i]
        if (n, i) in wrong:
            s, m = wrong[n, i]
            text = (_("yours {yours}\nconvention {value}") if self._at_kink(n) else
                    _("yours {yours}\nnumeric {value}")).format(yours=fmt(s), value=fmt(m))
        else:
            text = _("local {value}").format(value=fmt(entry["local"]))
        if n is self._selected:
            text += "\n" + _("downstream {value}").format(value=fmt(self._upstream[n] * entry["local"]))
        return text


class _Frame(NamedTuple):
    """Where the picture of a graph is, in inches: x from ``xa`` to ``xb``; each node's centre in ``where``."""
    xa: float
    xb: float
    width: float
    height: float
    dpi: float
    title: str
    legend: str
    where: dict


def _place_labels(ax, labels: list, occupied: list) -> None:
    """Labels on the edges: at the first place along the edge (a little above or below if need be) where they
    cover no node, no other label, no d out / d node; where none is free, where they cover least."""
    for _priority, start, end, rad, text, color in sorted(labels, key=lambda t: t[0]):
        tw, th = measure(text, 7, linespacing=1.15)
        tw, th = tw + 0.1, th + 0.08                             # the white box around the text
        best = None
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78):
            for lift in (0.0, 0.1, -0.1, 0.2, -0.2, 0.3, -0.3):
                px, py = _bezier(start, end, rad, t)              # a point of the (bent) edge
                py += lift
                rect = (px - tw / 2, py - th / 2, px + tw / 2, py + th / 2)
                clash = sum(_overlap(rect, other) for other in occupied)
                if best is None or clash < best[0] - 1e-9:
                    best = (clash, px, py, rect)
                if clash == 0:
                    break
            if best[0] == 0:
                break
        _, px, py, rect = best
        occupied.append(rect)
        ax.text(px, py, text, ha="center", va="center", fontsize=7, color=color, zorder=7, linespacing=1.15,
                bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor=color, linewidth=0.6))


# --- small helpers ------------------------------------------------------------------------------------------
def _whole_graph() -> str:
    """The label of the checkbox that draws the whole graph (the title of a wide graph names it)."""
    return _("whole graph")


def _nice_step(span: float) -> float:
    """A round slider step giving about 100 to 1000 positions over ``span``."""
    return 10.0 ** math.floor(math.log10(span / 100)) if span > 0 else 0.01


def _leave_box(center, toward, size, rad) -> tuple[float, float]:
    """Where an edge from ``center`` to ``toward`` (bent by ``rad`` as matplotlib's arc3) crosses the border of
    the box of ``size`` around ``center``."""
    (x, y), (tx, ty), (w, h) = center, toward, size
    dx, dy = tx - x, ty - y
    dx, dy = dx + 2 * rad * dy, dy - 2 * rad * dx          # the direction of the curve as it leaves
    scale = min(w / 2 / abs(dx) if dx else math.inf, h / 2 / abs(dy) if dy else math.inf)
    return x + dx * scale, y + dy * scale


def _bezier(start, end, rad, t) -> tuple[float, float]:
    """The point at ``t`` of matplotlib's arc3 curve from ``start`` to ``end`` (a quadratic Bézier)."""
    (xa, ya), (xb, yb) = start, end
    bend = 2 * t * (1 - t) * rad
    return xa + t * (xb - xa) + bend * (yb - ya), ya + t * (yb - ya) - bend * (xb - xa)


def _bend_around(a, b, size_a, size_b, boxes) -> float:
    """The smallest bend (arc3's ``rad``) for which the edge from ``a`` to ``b`` misses every box in ``boxes``
    ([(center, size)], with a little room around them)."""
    for rad in (0.0, -0.08, 0.08, -0.16, 0.16, -0.25, 0.25, -0.35, 0.35, -0.5, 0.5):
        start, end = _leave_box(a, b, size_a, rad), _leave_box(b, a, size_b, -rad)
        points = [_bezier(start, end, rad, k / 40) for k in range(1, 40)]
        if not any(abs(px - cx) < w / 2 + 0.06 and abs(py - cy) < h / 2 + 0.06
                   for (cx, cy), (w, h) in boxes for px, py in points):
            return rad
    return -0.08


def _overlap(a, b) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"
