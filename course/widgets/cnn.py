"""``MaxPoolRouting`` and ``ConvGradients``: the backward passes of the student's max-pool and convolution layers
(notebook 06), drawn the way document 000 explains them (§3 and §4, Figures 4 to 7).

``MaxPoolRouting`` (§3, Figures 4 and 5): a 4 × 4 input x, the 2 × 2 output of the student's ``maxpool_forward``,
a 2 × 2 upstream gradient ∂L/∂out and the 4 × 4 downstream gradient ∂L/∂x that the student's ``maxpool_backward``
sends back, each 2 × 2 window in its own colour in the four pictures. Next to every entry of ∂L/∂x is the numeric
gradient of the student's ``maxpool_forward`` through the same ∂L/∂out: it is the upstream gradient at the
position of the max of each window and 0 elsewhere (Figure 5), and the cells where the student's gradient differs
are outlined in red::

    MaxPoolRouting(maxpool_forward, maxpool_backward, x=figure_4, dout=np.array([[1.0, -2.0], [3.0, 0.5]]))

``ConvGradients`` (§4, 000 eq. 13 to 16): one grey image, one 3 × 3 filter, an upstream gradient ∂L/∂out, and the
student's ``conv_backward``. Two views, picked with the buttons:

- **∂L/∂W (000 eq. 16)**: pick a filter weight (x, y); the image patch Image(i + x, j + y) that multiplies each
  ∂L/∂out(i, j) is outlined, the sum of 000 eq. 16 is written out with its numbers, and the student's ∂L/∂W(x, y)
  is shown next to the numeric one;
- **∂L/∂input**: pick a pixel (r, s) of the image; the outputs (i, j) whose patch covers it and the filter weights
  W(r − i, s − j) that multiplied it are outlined (the filter seen flipped), with the student's ∂L/∂input(r, s)
  next to the numeric one.

Neither widget knows how to pool, convolve or backpropagate: the values shown come from the student's functions,
and the reference numbers are central differences of the student's forward function (``course.gradcheck``). The
positions it outlines (a patch, the outputs that read a pixel) are index arithmetic on the picture, not gradients.
A function that raises (``NotImplementedError`` in a blank notebook) or returns something unusable gives a plain
message, never a traceback.
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course.gradcheck import close, numeric_gradient_array
from course.i18n import _, ngettext, verdict_line
from course.widgets.base import GradientWidget
from course.widgets.drawing import COLORS, inch_canvas, short, text_width, wrap, write_heading
from course.widgets.judge import check, wrong_cells
from course.widgets.student import Unusable, call, describe, measuring, name_of, numbers, raised, shapes_here

__all__ = ["MaxPoolRouting", "ConvGradients"]

CELL = 0.42                  # side of a cell, inches (max-pool)
CONV_CELL = 0.35             # (convolution: five pictures side by side)
MARGIN = 0.3
GAP = 0.42                   # between two pictures
TITLE_SIZE = 8.5
VALUE_SIZE = 8.0
SMALL_SIZE = 5.6
NOTE_SIZE = 7.5
WINDOW_FILLS = ("#dbe8fb", "#fde7c4", "#dcefd9", "#eedcf3")     # the four 2 x 2 windows of a 4 x 4 input
PATCH_FILL, PAIR_FILL = COLORS["selected_fill"], COLORS["input_fill"]


# --- drawing -------------------------------------------------------------------------------------------------
class _Grid:
    """One picture: a matrix of numbers drawn as cells, with fills, outlines and small notes in the cells; or, when
    ``values`` is None, a message in a red box in its place."""

    def __init__(self, title: str, values, *, subtitle: str = "", fills=None, outlines=None, notes=None,
                 bold=(), wrong=(), numeric=None, verdict: tuple[bool, str] | None = None, text: str | None = None,
                 cell: float = CELL, min_width: float = 0.0):
        self.title, self.subtitle, self.text, self.verdict = title, subtitle, text, verdict
        self.values = None if values is None else np.asarray(values, dtype=np.float64)
        self.fills = fills or {}             # (row, col) -> colour
        self.outlines = outlines or {}       # (row, col) -> colour
        self.notes = notes or {}             # (row, col) -> small text under the value
        self.bold, self.wrong = set(bold), set(wrong)
        self.numeric, self.cell = numeric, cell
        self.rows, self.cols = (3, 3) if self.values is None else self.values.shape
        labels = max(text_width(title, TITLE_SIZE), text_width(subtitle, 6.8) if subtitle else 0.0)
        self.width = max(self.cols * cell + 0.3, labels + 0.08, min_width, 1.6 if self.values is None else 0.0)
        self.title_height = (title.count("\n") + 1) * TITLE_SIZE / 72 * 1.3 + (0.17 if subtitle else 0.04)

    def body_height(self) -> float:
        """From the top of the cells to the bottom of the verdict (or of the message box)."""
        if self.values is None:
            body = wrap(self.text or "", self.width - 0.16, NOTE_SIZE)
            return max(0.6, (body.count("\n") + 1) * NOTE_SIZE / 72 * 1.35 + 0.2)
        height = self.rows * self.cell + 0.2
        if self.verdict is not None:
            body = wrap(("✓ " if self.verdict[0] else "✗ ") + self.verdict[1], self.width + 0.1, NOTE_SIZE)
            height += 0.08 + (body.count("\n") + 1) * NOTE_SIZE / 72 * 1.35
        return height

    def draw(self, fig: Figure, back, left: float, grid_top: float, fig_w: float, fig_h: float) -> None:
        """Draw with the top of the cells at ``grid_top`` (title and subtitle above it), in inches."""
        center = left + self.width / 2
        y = grid_top + 0.05
        if self.subtitle:
            back.text(center, y, self.subtitle, ha="center", va="bottom", fontsize=6.8, color="#777777")
            y += 0.15
        back.text(center, y, self.title, ha="center", va="bottom", fontsize=TITLE_SIZE, linespacing=1.2)
        if self.values is None:
            height = self.body_height()
            body = wrap(self.text or "", self.width - 0.16, NOTE_SIZE)
            back.add_patch(Rectangle((left, grid_top - height), self.width, height, facecolor="#fdf0f0",
                                     edgecolor=COLORS["wrong"], linewidth=0.8))
            back.text(left + 0.08, grid_top - 0.08, body, ha="left", va="top", fontsize=NOTE_SIZE,
                      color=COLORS["wrong"], linespacing=1.3)
            return
        grid_w, grid_h = self.cols * self.cell, self.rows * self.cell
        x0 = left + (self.width - grid_w) / 2 + 0.06
        ax = fig.add_axes((x0 / fig_w, (grid_top - grid_h) / fig_h, grid_w / fig_w, grid_h / fig_h))
        ax.set_xlim(-0.5, self.cols - 0.5)
        ax.set_ylim(self.rows - 0.5, -0.5)
        small = max(5.3, SMALL_SIZE * self.cell / CELL)
        for (r, c), value in np.ndenumerate(self.values):
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=self.fills.get((r, c), "white"),
                                   edgecolor="#b0b0b0", linewidth=0.6, zorder=1))
            note = self.notes.get((r, c))
            wrong = (r, c) in self.wrong and self.numeric is not None
            text = short(float(value))
            ax.text(c, r - (0.13 if note or wrong else 0.0), text, ha="center", va="center", zorder=4,
                    fontsize=VALUE_SIZE * min(1.0, 4.5 / max(len(text), 1)),      # "0.125" and longer: smaller
                    fontweight="bold" if (r, c) in self.bold else "normal",
                    color=COLORS["wrong"] if wrong else "#111111")
            if wrong:
                ax.text(c, r + 0.25, f"≠ {short(float(self.numeric[r, c]))}", ha="center", va="center",
                        fontsize=small + 0.4, color=COLORS["wrong"], fontweight="bold", zorder=4)
            elif note:
                ax.text(c, r + 0.26, note, ha="center", va="center", fontsize=small, color="#444444", zorder=4)
        for (r, c), color in self.outlines.items():
            ax.add_patch(Rectangle((c - 0.43, r - 0.43), 0.86, 0.86, fill=False, edgecolor=color, linewidth=1.8,
                                   zorder=3))
        for (r, c) in self.wrong:
            ax.add_patch(Rectangle((c - 0.47, r - 0.47), 0.94, 0.94, fill=False, edgecolor=COLORS["wrong"],
                                   linewidth=2.2, zorder=5))
        ax.set_xticks(range(self.cols))
        ax.set_yticks(range(self.rows))
        ax.tick_params(labelsize=6.3, length=0, pad=2, colors="#777777")
        for spine in ax.spines.values():
            spine.set_color("#888888")
        if self.verdict is not None:
            ok, words = self.verdict
            body = wrap(("✓ " if ok else "✗ ") + words, self.width + 0.1, NOTE_SIZE)
            back.text(left, grid_top - grid_h - 0.2, body, ha="left", va="top", fontsize=NOTE_SIZE,
                      linespacing=1.3, color=COLORS["visited"] if ok else COLORS["wrong"])


def _grids_figure(title: str, note: str, grids: list[_Grid], joins: list[str], footer: str = "",
            footer_color: str = "#222222", gap: float = GAP) -> Figure:
    """The pictures side by side, their cells aligned at the top (``joins[k]`` written between picture k and
    k + 1: an arrow, or nothing), under a bold title and a grey note; ``footer`` (a formula with its numbers)
    under them."""
    width = max(6.0, 2 * MARGIN + sum(g.width for g in grids) + gap * (len(grids) - 1))
    note_text = wrap(note, width - 2 * MARGIN, NOTE_SIZE) if note else ""
    footer_text = wrap(footer, width - 2 * MARGIN, 8.2) if footer else ""
    top = 0.42 + ((note_text.count("\n") + 1) * 0.145 + 0.05 if note else 0.0)
    title_h = max(g.title_height for g in grids) + 0.08
    body_h = max(g.body_height() for g in grids)
    footer_h = (footer_text.count("\n") + 1) * 0.16 + 0.1 if footer else 0.0
    height = top + title_h + body_h + footer_h + 0.12

    fig, back = inch_canvas(width, height)
    write_heading(back, MARGIN, height - 0.12, title, note_text, note_gap=0.26, note_size=NOTE_SIZE)
    grid_top = height - top - title_h
    x = MARGIN + (width - 2 * MARGIN - sum(g.width for g in grids) - gap * (len(grids) - 1)) / 2
    for k, grid in enumerate(grids):
        grid.draw(fig, back, x, grid_top, width, height)
        if k < len(joins) and joins[k]:
            middle = grid_top - min(g.rows * g.cell for g in grids if g.values is not None) / 2 \
                if any(g.values is not None for g in grids) else grid_top - 0.3
            back.text(x + grid.width + gap / 2 + 0.03, middle, joins[k], ha="center", va="center", fontsize=13,
                      color="#777777")
        x += grid.width + gap
    if footer:
        back.text(MARGIN, grid_top - body_h - 0.06, footer_text, ha="left", va="top", fontsize=8.2,
                  color=footer_color, linespacing=1.35)
    return fig


def _matrix(value, rows: int, cols: int) -> np.ndarray | None:
    """``value`` as a rows x cols float matrix when it holds exactly that many numbers (e.g. (1, 1, 2, 2) for
    2 x 2), else None."""
    array = numbers(value)
    if array is None or array.size != rows * cols:
        return None
    return array.reshape(rows, cols)


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(n) for n in shape) + (",)" if len(shape) == 1 else ")")


def _out_of_shape(shape) -> str:
    """What a forward returned when its out has the wrong shape: "out of shape (1, 1, 4, 4)"."""
    return _("out of shape {shape}").format(shape=_shape_text(shape))


# --- MaxPoolRouting ------------------------------------------------------------------------------------------
class MaxPoolRouting(GradientWidget):
    """The max-pool backward pass of document 000 (§3, Figures 4 and 5) on a 4 × 4 input, with the student's
    functions.

    ``forward(x) -> (out, cache)`` and ``backward(dout, cache) -> dx`` are the student's ``maxpool_forward`` and
    ``maxpool_backward``; they are called with x of shape (1, 1, 4, 4) (N = C = 1) and dout of shape (1, 1, 2, 2).
    ``x``: the 4 × 4 input to start with (any shape holding 16 numbers), e.g. the notebook's Figure 4; ``dout``:
    the 2 × 2 upstream gradient (4 numbers). Without them, a random sample is drawn. **New sample** draws a new
    input (16 different numbers: no ties) and a new upstream gradient; **Back to the example** restores the ones
    given.

    Parts, for notebooks and tests: ``new_sample_button``, ``example_button``, ``image`` (the drawing, a PNG),
    ``message`` (HTML). ``state()`` returns what is shown as plain data; ``draw()`` the matplotlib figure.
    """

    css = "maxpool-routing"

    def __init__(self, forward: Callable, backward: Callable, x=None, dout=None, *, seed: int = 0,
                 title: str | None = None):
        self.forward, self.backward = forward, backward
        self._forward_name = name_of(forward, "maxpool_forward")
        self._backward_name = name_of(backward, "maxpool_backward")
        self.title = title or _("Max-pool backward: the gradient goes to the max of each window")
        self._rng = np.random.default_rng(seed)
        given_x = None if x is None else _matrix(x, 4, 4)
        given_dout = None if dout is None else _matrix(dout, 2, 2)
        if x is not None and given_x is None:
            raise ValueError(_("MaxPoolRouting needs x with 16 numbers (a 4 x 4 input), not {x!r}").format(x=x))
        if dout is not None and given_dout is None:
            raise ValueError(_("MaxPoolRouting needs dout with 4 numbers (a 2 x 2 upstream gradient), not "
                               "{dout!r}").format(dout=dout))
        self._example = (given_x, given_dout)
        self._count = 0

        self.new_sample_button = self._make_new_sample_button(_("a new 4 x 4 input (no ties) and a new upstream "
                                                                "gradient"))
        self.example_button = widgets.Button(description=_("Back to the example"),
                                             tooltip=_("the input and upstream gradient given to the widget"),
                                             layout=widgets.Layout(width="auto"))
        self.example_button.add_class("maxpool-routing-example")
        self.example_button.on_click(lambda _: self.show_example())
        self.example_button.layout.display = None if given_x is not None or given_dout is not None else "none"
        self.image = self._make_image()
        self.message = self._make_message()
        picture = self._scrolling(self.image)
        controls = widgets.HBox([self.new_sample_button, self.example_button])
        self._open([controls, picture, self.message])
        self.show_example()

    # --- public -----------------------------------------------------------------------------------------------
    def new_sample(self) -> None:
        """A new random input (16 different values, so no window has a tie) and upstream gradient (no zero)."""
        self._draw_sample()
        self._compute()
        self._show()

    def _draw_sample(self) -> None:
        values = self._rng.choice(np.arange(1, 31), size=16, replace=False).astype(np.float64)
        self._x = values.reshape(4, 4)
        self._dout = self._rng.choice([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0], size=(2, 2))
        self._count += 1

    def show_example(self) -> None:
        """The input and upstream gradient given to the widget (a random one for what was not given)."""
        x, dout = self._example
        if x is None or dout is None:
            self._draw_sample()
        self._x = self._x if x is None else x.copy()
        self._dout = self._dout if dout is None else dout.copy()
        self._compute()
        self._show()

    def state(self) -> dict:
        """What is shown, as plain data: ``x`` (4 × 4), ``output`` (the student's out, 2 × 2, None if unusable),
        ``upstream`` (2 × 2), ``downstream`` (the student's dx as 4 × 4, None if unusable), ``numeric`` (the
        numeric gradient of the student's forward, 4 × 4, None if it could not be measured), ``max_cells``
        ((row, col) where the numeric gradient is not 0: the max of each window), ``wrong_cells``, ``ok``,
        ``message``."""
        return {
            "x": self._x.tolist(),
            "output": None if self._out is None else self._out.tolist(),
            "upstream": self._dout.tolist(),
            "downstream": None if self._dx is None else self._dx.tolist(),
            "numeric": None if self._numeric is None else self._numeric.tolist(),
            "max_cells": list(self._max_cells),
            "wrong_cells": list(self._wrong),
            "ok": self._ok,
            "message": self._message_text(),
        }

    def draw(self) -> Figure:
        """The matplotlib figure shown (a new one each time, not attached to pyplot)."""
        return self._figure()

    # --- what is computed ---------------------------------------------------------------------------------------
    def _compute(self) -> None:
        self._out = self._dx = self._numeric = None
        self._max_cells, self._wrong, self._ok, self._verdict = [], [], False, ""
        self._errors: list[str] = []
        x4 = self._x.reshape(1, 1, 4, 4)
        try:
            result = call(self._forward_name, self.forward, x4.copy())
            if not isinstance(result, tuple) or len(result) != 2:
                raise Unusable(_("{name} returned {what}, not the pair (out, cache): end it with return out, "
                                 "cache").format(name=self._forward_name, what=describe(result)))
            out = numbers(result[0])
            if out is None or out.shape != (1, 1, 2, 2):
                what = describe(result[0]) if out is None else _out_of_shape(out.shape)
                raise Unusable(_("{name} returned {what} for x of shape (1, 1, 4, 4); expected (1, 1, 2, 2): 2 × 2 "
                                 "windows, stride 2").format(name=self._forward_name, what=what))
            self._out = out.reshape(2, 2)
            cache = result[1]
        except Unusable as error:
            self._errors.append(str(error))
            return
        dout4 = self._dout.reshape(1, 1, 2, 2)
        try:
            self._numeric = numeric_gradient_array(lambda v: self.forward(v.copy())[0], x4.copy(), dout4).reshape(4, 4)
        except Exception as error:
            self._errors.append(raised(self._forward_name, error, measuring()))
            return
        # where the numeric gradient is not 0 (by gradcheck's rule): the max of each window
        self._max_cells = [(int(r), int(c)) for r, c in np.argwhere(~close(self._numeric, 0.0))]
        try:
            answer = call(self._backward_name, self.backward, dout4.copy(), cache,
                           context=shapes_here("dout (1, 1, 2, 2), x (1, 1, 4, 4)"))
            if answer is None:
                raise Unusable(_("{name} returned None: end it with return {listed}").format(name=self._backward_name,
                                                                                            listed="dx"))
        except Unusable as error:
            self._errors.append(str(error))
            return
        self._ok, self._verdict = check("dx", answer, self._numeric.reshape(1, 1, 4, 4), None,
                                         _("the numeric gradient of your {function}").format(
                                             function=self._forward_name))
        array = numbers(answer)
        if array is not None and array.size == 16:
            self._dx = array.reshape(4, 4)
            self._wrong = wrong_cells(self._dx, self._numeric)

    # --- what is shown --------------------------------------------------------------------------------------
    def _lines(self) -> list[tuple[bool, str]]:
        if self._numeric is None or self._errors:
            return []
        if not self._ok:
            return [(False, verdict_line("dx", self._verdict))]
        return [(True, _("dx agrees with the numeric gradient of your {forward}: each upstream value went to the max "
                         "of its window, 0 elsewhere (Figure 5). Click New sample for another input.").format(
                             forward=self._forward_name))]

    def _errors_shown(self) -> list[str]:
        return list(self._errors)

    def _window_fills(self, size: int) -> dict:
        """(row, col) -> the colour of its 2 x 2 window, in a size x size picture (size 4: the input; 2: out)."""
        step = 2 if size == 4 else 1
        return {(r, c): WINDOW_FILLS[2 * (r // step) + c // step] for r in range(size) for c in range(size)}

    def _figure(self) -> Figure:
        maxima = set(self._max_cells)
        outlines = {cell: "#333333" for cell in maxima}
        x = _Grid(_("input x"), self._x,
                  subtitle=_("4 × 4 · outlined: the max of each window") if maxima else "4 × 4",
                  fills=self._window_fills(4), outlines=outlines, bold=maxima)
        out_title = _("out = your\n{forward}(x)").format(forward=self._forward_name)
        if self._out is None:
            out = _Grid(out_title, None, text=self._errors[0])
        else:
            out = _Grid(out_title, self._out, subtitle="2 × 2", fills=self._window_fills(2))
        up = _Grid(_("upstream gradient\n∂L/∂out (gradient amont)"), self._dout, subtitle=_("2 × 2, given"),
                   fills=self._window_fills(2))
        title = _("downstream gradient ∂L/∂x\n= your {backward}").format(backward=self._backward_name)
        if self._dx is None:
            reason = self._errors[-1] if self._errors else f"✗ {self._verdict}"
            down = _Grid(title, None, text=reason, min_width=2.3)
        else:
            verdict = (True, _("matches the numeric gradient")) if self._ok else (False, self._verdict)
            down = _Grid(title, self._dx, subtitle=_("4 × 4 · red ≠ n: where yours differs, n numeric"),
                         fills=self._window_fills(4),
                         outlines=outlines, bold=maxima, wrong=self._wrong, numeric=self._numeric, verdict=verdict,
                         min_width=2.3)
        note = _("Forward: each coloured 2 × 2 window of x gives one value of out, its max. Backward: only the max "
                 "moved out (∂out/∂x = 1 there, 0 at the three others), so ∂L/∂x is the upstream value at the max of "
                 "its window and 0 elsewhere (« on copie le gradient ... dans le cas d'une valeur maximale »).")
        footer = ""
        if self._dx is not None and self._numeric is not None:
            if self._ok:
                footer = _("Numeric gradient of your forward: the upstream value at the outlined cells, 0 elsewhere.")
            else:
                footer = ngettext("Numeric gradient of your forward: the upstream value at the outlined cells, 0 "
                                  "elsewhere — {count} of 16 entries of yours differ (outlined in red).",
                                  "Numeric gradient of your forward: the upstream value at the outlined cells, 0 "
                                  "elsewhere — {count} of 16 entries of yours differ (outlined in red).",
                                  len(self._wrong)).format(count=len(self._wrong))
        return _grids_figure(self.title, note, [x, out, up, down], ["→", "", "→"], footer,
                       COLORS["visited"] if self._ok else COLORS["wrong"] if footer else "#222222")


# --- ConvGradients -------------------------------------------------------------------------------------------
class ConvGradients(GradientWidget):
    """The convolution backward pass of document 000 (§4, 000 eq. 13 to 16) on one image and one filter, with the
    student's functions.

    ``forward(x, w, b) -> (out, cache)`` and ``backward(dout, cache) -> (dx, dw, db)`` are the student's
    ``conv_forward`` and ``conv_backward``; they are called with x of shape (1, 1, H, W), w of shape (1, 1, k, k),
    b of shape (1,) and dout of the shape of out, (1, 1, H - k + 1, W - k + 1) (valid cross-correlation, stride 1).
    ``image`` (H × W), ``filter`` (k × k), ``dout`` ((H - k + 1) × (W - k + 1)): the values to start with (without
    them: small random integers, easy to add up by hand, with H = W = 5 and k = 3). **New sample** draws new ones.

    ``view`` (ToggleButtons) picks what is explained: ``"dw"``, the weight gradient of 000 eq. 16 at the filter
    position picked in ``position``; or ``"dx"``, the gradient with respect to the input at the pixel picked.

    Parts, for notebooks and tests: ``view``, ``position`` (Dropdown), ``new_sample_button``, ``image`` (a PNG),
    ``message`` (HTML). ``state()`` returns what is shown as plain data; ``draw()`` the matplotlib figure.
    """

    css = "conv-gradients"

    def __init__(self, forward: Callable, backward: Callable, image=None, filter=None, dout=None, *,  # noqa: A002
                 bias: float = 0.0, seed: int = 0, title: str | None = None):
        self.forward, self.backward = forward, backward
        self._forward_name = name_of(forward, "conv_forward")
        self._backward_name = name_of(backward, "conv_backward")
        self.title = title or _("Convolution backward (document 000, eq. 13–16)")
        self._rng = np.random.default_rng(seed)
        self._bias = float(bias)
        self._count = 0
        self._dout = np.zeros((0, 0))
        self._updating = False               # True while the position menu is refilled (no redraw then)
        self._picked: dict = {}              # view -> the position last picked in it
        if image is None or filter is None:
            self._draw_sample()
        if image is not None:
            self._image = self._as_matrix("image", image)
        if filter is not None:
            self._filter = self._as_matrix("filter", filter)
            if self._filter.shape[0] != self._filter.shape[1]:
                raise ValueError(_("ConvGradients needs a square k x k filter, not {shape}").format(
                    shape=self._filter.shape))
        rows, cols = self._out_shape()
        sizes = dict(k=self._filter.shape[0], height=self._image.shape[0], width=self._image.shape[1], rows=rows,
                     cols=cols)
        if rows < 1 or cols < 1:
            raise ValueError(_("the {k} x {k} filter does not fit in the {height} x {width} image").format(**sizes))
        if dout is not None:
            self._dout = self._as_matrix("dout", dout)
            if self._dout.shape != (rows, cols):
                raise ValueError(_("dout must be {rows} x {cols} (the output of a valid {k} x {k} filter on a "
                                   "{height} x {width} image), not {shape}").format(shape=self._dout.shape, **sizes))
        elif self._dout.shape != (rows, cols):
            self._dout = self._rng.choice([-2.0, -1.0, 1.0, 2.0], size=(rows, cols))

        self.view = widgets.ToggleButtons(options=[(_("∂L/∂W (000 eq. 16)"), "dw"), ("∂L/∂input", "dx")],
                                          value="dw",
                                          tooltips=[_("which image pixels multiply each ∂L/∂out(i, j) for one weight"),
                                                    _("which outputs and weights reach one input pixel")],
                                          style={"button_width": "auto"})
        self.view.add_class("conv-gradients-view")
        self.position = widgets.Dropdown(description=_("filter weight (x, y)"),
                                         style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))
        self.position.add_class("conv-gradients-position")
        self.new_sample_button = self._make_new_sample_button(_("a new image, filter and upstream gradient"))
        self.image = self._make_image()
        self.message = self._make_message()
        self._set_positions()
        self.view.observe(self._on_view, names="value")
        self.position.observe(self._on_position, names="value")
        controls = widgets.HBox([self.new_sample_button, self.view, self.position],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self._open([controls, self._scrolling(self.image), self.message])
        self._compute()
        self._show()

    # --- public -----------------------------------------------------------------------------------------------
    def new_sample(self) -> None:
        """New random integers for the image, the filter and the upstream gradient (same sizes); redraw."""
        self._draw_sample(self._image.shape, self._filter.shape[0])
        self._compute()
        self._show()

    def state(self) -> dict:
        """What is shown, as plain data: ``view`` ("dw" or "dx"), ``position`` (the weight (x, y) or the pixel
        (r, s)), ``image``, ``filter``, ``bias``, ``upstream``, ``output`` (the student's out), ``dw``, ``dx``,
        ``db`` (the student's gradients, None if unusable), ``numeric`` ({"dw", "dx", "db"}: central differences
        of the student's forward), ``ok`` ({"dw", "dx", "db"}), ``wrong_cells`` ({"dw", "dx"}),
        ``highlighted`` ({"image", "upstream", "filter"}: the cells outlined for the position, with
        ``pairs`` the (output (i, j), weight (u, v)) products that make the selected entry), ``formula`` (the sum
        written under the pictures), ``message``."""
        return {
            "view": self.view.value,
            "position": list(self.position.value) if self.position.value is not None else None,
            "image": self._image.tolist(), "filter": self._filter.tolist(), "bias": self._bias,
            "upstream": self._dout.tolist(),
            "output": None if self._out is None else self._out.tolist(),
            "dw": None if self._grads.get("dw") is None else self._grads["dw"].tolist(),
            "dx": None if self._grads.get("dx") is None else self._grads["dx"].tolist(),
            "db": self._db,
            "numeric": {k: (None if v is None else (v.tolist() if isinstance(v, np.ndarray) else v))
                        for k, v in self._numeric.items()},
            "ok": dict(self._ok),
            "wrong_cells": {k: list(v) for k, v in self._wrong.items()},
            "highlighted": self._highlighted(),
            "pairs": [[list(o), list(w)] for o, w in self._pairs()],
            "formula": self._formula(),
            "message": self._message_text(),
        }

    def draw(self) -> Figure:
        return self._figure()

    # --- inputs -------------------------------------------------------------------------------------------------
    @staticmethod
    def _as_matrix(name: str, value) -> np.ndarray:
        array = numbers(value)
        if array is None:
            raise ValueError(_("ConvGradients: {name} must be an array of numbers, not {value!r}").format(
                name=name, value=value))
        if array.ndim < 2 or any(n != 1 for n in array.shape[:-2]):
            raise ValueError(_("ConvGradients: {name} must be a matrix (one channel), not of shape {shape}").format(
                name=name, shape=array.shape))
        return array.reshape(array.shape[-2:]).copy()

    def _draw_sample(self, shape=(5, 5), k: int = 3) -> None:
        self._image = self._rng.integers(0, 10, size=shape).astype(np.float64)
        self._filter = self._rng.integers(-2, 3, size=(k, k)).astype(np.float64)
        rows, cols = shape[0] - k + 1, shape[1] - k + 1
        self._dout = self._rng.choice([-2.0, -1.0, 1.0, 2.0], size=(rows, cols))
        self._count += 1

    def _out_shape(self) -> tuple[int, int]:
        k = self._filter.shape[0]
        return self._image.shape[0] - k + 1, self._image.shape[1] - k + 1

    def _set_positions(self) -> None:
        if self.view.value == "dw":
            k = self._filter.shape[0]
            options = [(f"({u}, {v})", (u, v)) for u in range(k) for v in range(k)]
            default, label = (k // 2, k // 2), _("filter weight (x, y)")
        else:
            rows, cols = self._image.shape
            options = [(f"({r}, {s})", (r, s)) for r in range(rows) for s in range(cols)]
            default, label = (rows // 2, cols // 2), _("input pixel (r, s)")
        wanted = self._picked.get(self.view.value, default)
        self._updating = True
        try:
            self.position.options = options
            self.position.description = label
            self.position.value = wanted if wanted in [o[1] for o in options] else default
        finally:
            self._updating = False

    def _on_view(self, _change) -> None:
        self._set_positions()
        self._show()

    def _on_position(self, _change) -> None:
        if not self._updating and self.position.value is not None:
            self._picked[self.view.value] = self.position.value
            self._show()

    # --- what is computed ---------------------------------------------------------------------------------------
    def _compute(self) -> None:
        self._out = None
        self._grads: dict = {}
        self._db = None
        self._numeric: dict = {"dw": None, "dx": None, "db": None}
        self._ok = {"dw": False, "dx": False, "db": False}
        self._verdicts = {"dw": "", "dx": "", "db": ""}
        self._wrong = {"dw": [], "dx": []}
        self._errors: list[str] = []
        k = self._filter.shape[0]
        x4 = self._image.reshape(1, 1, *self._image.shape)
        w4 = self._filter.reshape(1, 1, k, k)
        b1 = np.array([self._bias])
        try:
            cache = self._run_forward(x4, w4, b1)
        except Unusable as error:
            self._errors.append(str(error))
            return
        dout4 = self._dout.reshape((1, 1) + self._out.shape)
        try:
            self._numeric["dx"] = numeric_gradient_array(
                lambda v: self.forward(v.copy(), w4.copy(), b1.copy())[0], x4.copy(), dout4)
            self._numeric["dw"] = numeric_gradient_array(
                lambda v: self.forward(x4.copy(), v.copy(), b1.copy())[0], w4.copy(), dout4)
            self._numeric["db"] = numeric_gradient_array(
                lambda v: self.forward(x4.copy(), w4.copy(), v.copy())[0], b1.copy(), dout4)
        except Exception as error:
            self._numeric = {"dw": None, "dx": None, "db": None}
            self._errors.append(raised(self._forward_name, error, measuring()))
            return
        try:
            grads = self._run_backward(dout4, cache, x4, w4)
        except Unusable as error:
            self._errors.append(str(error))
            return
        self._judge(grads)

    def _run_forward(self, x4: np.ndarray, w4: np.ndarray, b1: np.ndarray):
        """The student's forward on copies of the inputs: its out (kept as a matrix) and its cache."""
        k = self._filter.shape[0]
        expected = (1, 1) + self._out_shape()
        result = call(self._forward_name, self.forward, x4.copy(), w4.copy(), b1.copy())
        if not isinstance(result, tuple) or len(result) != 2:
            raise Unusable(_("{name} returned {what}, not the pair (out, cache): end it with return out, "
                             "cache").format(name=self._forward_name, what=describe(result)))
        out = numbers(result[0])
        if out is None or out.shape != expected:
            what = describe(result[0]) if out is None else _out_of_shape(out.shape)
            raise Unusable(_("{name} returned {what} for x {x_shape} and w {w_shape}; expected {shape}: a valid "
                             "cross-correlation, stride 1, no padding").format(
                name=self._forward_name, what=what, x_shape=_shape_text((1, 1) + self._image.shape),
                w_shape=_shape_text((1, 1, k, k)), shape=_shape_text(expected)))
        self._out = out.reshape(expected[2:])
        return result[1]

    def _run_backward(self, dout4: np.ndarray, cache, x4: np.ndarray, w4: np.ndarray):
        """The student's (dx, dw, db)."""
        grads = call(self._backward_name, self.backward, dout4.copy(), cache,
                     context=shapes_here(f"dout {_shape_text(dout4.shape)}, x {_shape_text(x4.shape)}, "
                                         f"w {_shape_text(w4.shape)}, b (1,)"))
        if grads is None:
            raise Unusable(_("{name} returned None: end it with return {listed}").format(name=self._backward_name,
                                                                                        listed="dx, dw, db"))
        if not isinstance(grads, (tuple, list)) or len(grads) != 3:
            raise Unusable(_("{name} returned {what}, not a tuple of {count} gradients ({listed})").format(
                name=self._backward_name, what=describe(grads), count=3, listed="dx, dw, db"))
        return grads

    def _judge(self, grads) -> None:
        """Each of the student's gradients against the numeric one; dw and dx kept as matrices to draw."""
        expected_for = {name: _("the numeric gradient with respect to {variable}").format(variable=name[1:])
                        for name in ("dx", "dw", "db")}
        for name, answer in zip(("dx", "dw", "db"), grads):
            numeric = self._numeric[name]
            self._ok[name], self._verdicts[name] = check(name, answer, numeric, None, expected_for[name])
            array = numbers(answer)
            if name == "db":
                self._db = None if array is None else array.tolist()
                continue
            if array is not None and array.size == numeric.size:
                shaped = array.reshape(numeric.shape[-2:])
                self._grads[name] = shaped
                self._wrong[name] = wrong_cells(shaped, numeric.reshape(shaped.shape))

    # --- positions: index arithmetic only ------------------------------------------------------------------------
    def _pairs(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """(output (i, j), filter weight (u, v)) of every product in the selected entry's sum: with the weight
        (x, y) fixed (view dw) every output, with the image pixel Image(i + x, j + y); with the pixel (r, s) fixed
        (view dx) every output whose patch covers it, with the weight W(r - i, s - j)."""
        if self.position.value is None:
            return []
        rows, cols = self._out_shape()
        k = self._filter.shape[0]
        a, c = self.position.value
        if self.view.value == "dw":
            return [((i, j), (a, c)) for i in range(rows) for j in range(cols)]
        return [((i, j), (a - i, c - j)) for i in range(rows) for j in range(cols)
                if 0 <= a - i < k and 0 <= c - j < k]

    def _highlighted(self) -> dict:
        pairs = self._pairs()
        if self.view.value == "dw":
            x, y = self.position.value
            return {"image": [[i + x, j + y] for (i, j), _ in pairs], "upstream": [list(o) for o, _ in pairs],
                    "filter": [[x, y]]}
        return {"image": [list(self.position.value)], "upstream": [list(o) for o, _ in pairs],
                "filter": [list(w) for _, w in pairs]}

    def _formula(self) -> str:
        """The selected entry's sum with its numbers (not added up here), then the student's and the numeric value."""
        pairs = self._pairs()
        if not pairs:
            return ""

        def factor(v):
            text = short(float(v))
            return f"({text})" if text.startswith("-") else text

        if self.view.value == "dw":
            x, y = self.position.value
            terms = " + ".join(f"{factor(self._dout[o])}·{factor(self._image[o[0] + x, o[1] + y])}" for o, _ in pairs)
            head = f"∂L/∂W({x}, {y}) = Σ_i Σ_j ∂L/∂out(i, j) · Image(i+{x}, j+{y}) = {terms}"
            key, index = "dw", (x, y)
        else:
            r, s = self.position.value
            terms = " + ".join(f"{factor(self._dout[o])}·{factor(self._filter[w])}" for o, w in pairs)
            head = _("∂L/∂Image({r}, {s}) = Σ over the outputs (i, j) that read it of ∂L/∂out(i, j) · W({r}−i, {s}−j) "
                     "= {terms}").format(r=r, s=s, terms=terms)
            key, index = "dx", (r, s)
        yours = self._grads.get(key)
        numeric = self._numeric.get(key)
        tail = ""
        if numeric is not None:
            tail += _("; numeric: {value}").format(value=short(float(numeric.reshape(-1, *numeric.shape[-2:])[0][
                index])))
        if yours is not None:
            tail = _("; yours: {value}").format(value=short(float(yours[index]))) + tail
        return head + tail

    # --- what is shown --------------------------------------------------------------------------------------
    def _lines(self) -> list[tuple[bool, str]]:
        if self._errors or self._numeric["dw"] is None:
            return []
        bad = [(False, verdict_line(n, self._verdicts[n])) for n in ("dw", "dx", "db") if not self._ok[n]]
        if bad:
            return bad
        return [(True, _("dw, dx and db agree with the numeric gradients of your {forward}. Pick another weight or "
                         "pixel, switch the view, or click New sample.").format(forward=self._forward_name))]

    def _errors_shown(self) -> list[str]:
        return list(self._errors)

    def _figure(self) -> Figure:
        k = self._filter.shape[0]
        rows, cols = self._out_shape()
        h, w = self._image.shape
        marks = self._marks()
        image = _Grid("Image", self._image, subtitle=f"{h} × {w}", cell=CONV_CELL, **marks["image"])
        filt = _Grid(_("Filter W"), self._filter, subtitle=_("{k} × {k}, bias {bias}").format(k=k,
                                                                                              bias=short(self._bias)),
                     cell=CONV_CELL, **marks["filter"])
        up = _Grid(_("upstream\n∂L/∂out"), self._dout,
                   subtitle=_("{rows} × {cols}, given").format(rows=rows, cols=cols), cell=CONV_CELL,
                   **marks["upstream"])
        formula = self._formula()
        key = self.view.value
        color = "#222222"
        if self._numeric.get(key) is not None and self._grads.get(key) is not None:
            index = tuple(self.position.value)
            color = COLORS["wrong"] if index in set(self._wrong[key]) else COLORS["visited"]
        return _grids_figure(self.title, self._note(), [image, filt, up] + self._gradient_grids(), [], formula,
                             color, gap=0.26)

    def _marks(self) -> dict:
        """The fills, outlines and notes of the image, the filter and the upstream gradient for the position
        picked: {"image" | "filter" | "upstream": {"fills", "outlines", "notes"}}."""
        marks = {name: {"fills": {}, "outlines": {}, "notes": {}} for name in ("image", "filter", "upstream")}
        image, filt, up = marks["image"], marks["filter"], marks["upstream"]
        if self.view.value == "dw":
            x, y = self.position.value
            for (i, j), _ in self._pairs():
                image["fills"][(i + x, j + y)] = PATCH_FILL
                image["outlines"][(i + x, j + y)] = COLORS["selected"]
                image["notes"][(i + x, j + y)] = f"out({i},{j})"
                up["fills"][(i, j)] = PAIR_FILL
            filt["fills"][(x, y)] = PATCH_FILL
            filt["outlines"][(x, y)] = COLORS["selected"]
            return marks
        r, s = self.position.value
        image["fills"][(r, s)] = PATCH_FILL
        image["outlines"][(r, s)] = COLORS["selected"]
        for (i, j), (u, v) in self._pairs():
            up["fills"][(i, j)] = PAIR_FILL
            up["outlines"][(i, j)] = COLORS["flow"]
            up["notes"][(i, j)] = f"W({u},{v})"
            filt["fills"][(u, v)] = PAIR_FILL
            filt["outlines"][(u, v)] = COLORS["flow"]
            filt["notes"][(u, v)] = f"out({i},{j})"
        return marks

    def _gradient_grids(self) -> list[_Grid]:
        """The student's ∂L/∂W and ∂L/∂input, the numeric values where they differ; a message in place of one
        that could not be read."""
        k = self._filter.shape[0]
        h, w = self._image.shape
        dw_view = self.view.value == "dw"
        grids = []
        for key, name, shape in (("dw", "∂L/∂W", (k, k)), ("dx", "∂L/∂input", (h, w))):
            title = _("{gradient}\n= your {backward}").format(gradient=name, backward=self._backward_name)
            grad = self._grads.get(key)
            if grad is None:
                reason = (self._errors[-1] if self._errors else f"✗ {self._verdicts[key]}") or "?"
                grids.append(_Grid(title, None, text=reason, cell=CONV_CELL, min_width=1.9))
                continue
            selected = tuple(self.position.value) if (key == "dw") == dw_view else None
            fills = {selected: PATCH_FILL} if selected is not None else {}
            outlines = {selected: COLORS["selected"]} if selected is not None else {}
            numeric = self._numeric[key].reshape(shape)
            verdict = (True, _("matches the numeric gradient")) if self._ok[key] else (False, self._verdicts[key])
            grids.append(_Grid(title, grad, subtitle=_("{rows} × {cols} · red ≠ n: n numeric").format(
                               rows=shape[0], cols=shape[1]), fills=fills,
                               outlines=outlines, wrong=self._wrong[key], numeric=numeric, verdict=verdict,
                               cell=CONV_CELL, min_width=1.9 if key == "dx" else 0.0))
        return grids

    def _note(self) -> str:
        if self.view.value == "dw":
            x, y = self.position.value
            return _("Weight W({x}, {y}) multiplies Image(i+{x}, j+{y}) in every output out(i, j) (000 eq. 14), so "
                     "∂L/∂W({x}, {y}) adds up ∂L/∂out(i, j) × Image(i+{x}, j+{y}) over all (i, j) (000 eq. 16): the "
                     "orange patch, cell by cell (the small out(i, j) under each pixel says which upstream value it "
                     "meets), times the blue ∂L/∂out.").format(x=x, y=y)
        r, s = self.position.value
        return _("Pixel Image({r}, {s}) is read by every output whose patch covers it: out(i, j) uses it with the "
                 "weight W({r}−i, {s}−j). So ∂L/∂Image({r}, {s}) adds up ∂L/∂out(i, j) × W({r}−i, {s}−j) over "
                 "those outputs (blue). The output at the top left of the pixel meets the weight at the bottom "
                 "right: seen from the input, the filter is flipped.").format(r=r, s=s)
