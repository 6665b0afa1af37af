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
                   formulas={"x": "∂c/∂x = ∂c/∂z Wᵀ (eq. 12)", "W": "∂c/∂W = xᵀ ∂c/∂z (eq. 13)"})

``LossGradients`` (notebook 04, document 003 §3.3) shows the logits s, the probabilities p of the student's
``softmax`` and the student's ∂c/∂s with the numeric gradient of the student's loss over it; a slider moves the
correct class's logit s_y, a menu picks y::

    LossGradients(softmax_cross_entropy, softmax, s=np.array([[1.0, -0.5, 2.0, 0.3]]), y=2)

Neither widget knows a layer, a softmax or a derivative rule: every number shown comes from the functions it is
given or from central differences on them (``course.gradcheck``). A function that raises (``NotImplementedError``
in a blank notebook) or returns something unusable gives a plain message in the widget, never a traceback.
"""
from __future__ import annotations

import html
import io
import math
import textwrap
import traceback
from pathlib import Path
from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course.gradcheck import (GradientCheckError, check_gradient, numeric_gradient, numeric_gradient_array,
                              sample_coordinates)
from course.widgets.drawing import inch_canvas, write_heading
from course.widgets.graph_flow import COLORS, _measure, fmt

__all__ = ["LayerGradients", "LossGradients"]

# Agreement of the student's gradient ``a`` with the numeric one ``n``: |a - n| <= ATOL + RTOL |n|, the rule of
# course.gradcheck.check_gradient (its defaults, passed explicitly so that the outlined cells and the message agree).
ATOL, RTOL = 1e-6, 1e-4
MAX_CHECKED = 200        # an input with more entries is checked at this many sampled coordinates (2 calls each)
MAX_VALUES = 8           # the values are written in the cells of a heatmap up to 8 x 8, in the bars up to 12 bars
MAX_BAR_VALUES = 12

# Geometry, in inches (the figure is drawn at DPI pixels per inch: 10.2 in fit a notebook 1000 px wide).
DPI = 100
MAX_WIDTH = 10.2
CELL = 0.44              # side of a heatmap cell with its value written in it
BAR = 0.32               # width per bar
BAR_HEIGHT = 1.3         # height of a bar chart
TITLE_SIZE = 8.5
TEXT_SIZE = 7.5
CMAP = "BrBG"            # diverging, centred on 0; no red in it, red marks what disagrees
POSITIVE, NEGATIVE = colormaps[CMAP](0.82), colormaps[CMAP](0.18)
MARGIN = 0.15
GROUP_GAP = 0.3          # between two groups (a thin line in the middle)
SLOT_GAP = 0.12          # between two panels of a group

_COURSE = Path(__file__).resolve().parents[1]


# --- the student's functions ---------------------------------------------------------------------------------
class _Unusable(Exception):
    """A function given to the widget could not be used; ``str()`` is the plain message shown to the student."""


def _name_of(function: Callable, default: str) -> str:
    name = getattr(function, "__name__", "")
    return name if name and name.isidentifier() else default


def _raised(name: str, error: Exception, context: str = "") -> str:
    """The message shown when a function raised: its name, the error, the student's line; no traceback."""
    if isinstance(error, NotImplementedError):
        return f"{name} raised NotImplementedError: write it above, then run this cell again"
    text = " ".join(str(error).split())
    if len(text) > 300:
        text = text[:297] + "..."
    where = _student_line(error)
    return (f"{name} raised {type(error).__name__}{': ' + text if text else ''}{where}{context}. "
            "Fix it above, then run this cell again")


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
    return f" (line {frame.lineno} of {frame.name}{': ' + line if line else ''})"


def _call(name: str, function: Callable, *args, context: str = ""):
    try:
        return function(*args)
    except Exception as error:              # a blank notebook raises NotImplementedError; anything may happen
        raise _Unusable(_raised(name, error, context)) from None


def _describe(value) -> str:
    """A few words on what a function returned: "None", "a tuple of 2 items", "an array of shape (3,)"."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} item{'s' if len(value) != 1 else ''}"
    return f"a {type(value).__name__}"


def _numbers(value) -> np.ndarray | None:
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


def _wrong_mask(answer: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """True where |answer - numeric| > ATOL + RTOL |numeric| (nan or inf in the answer included); False where the
    numeric gradient was not measured (nan: a sampled check of a large array)."""
    with np.errstate(invalid="ignore", over="ignore"):
        far = ~(np.abs(answer - numeric) <= ATOL + RTOL * np.abs(numeric))
    return far & ~np.isnan(numeric)


def _cells(mask: np.ndarray) -> list[tuple[int, ...]]:
    return [tuple(int(i) for i in index) for index in np.argwhere(mask)]


def _as_list(array):
    return None if array is None else np.asarray(array).tolist()


def _short(value: float) -> str:
    """A value written in a cell or over a bar: 3 significant digits."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.3g}"
    return "0" if text in ("0", "-0") else text


def _shape(array) -> str:
    return " × ".join(str(n) for n in np.shape(array)) or "scalar"


def _is_vector(array: np.ndarray) -> bool:
    """Drawn as bars: shape (n,), (1, n) or a scalar."""
    return array.ndim <= 1 or (array.ndim == 2 and array.shape[0] == 1)


def _check(label: str, answer, numeric: np.ndarray, coords, expected: str, batch_size: int | None = None):
    """(ok, message) of course.gradcheck.check_gradient on the student's answer: the same rule and the same
    diagnoses as the notebook's checks; with the batch size N, a factor N or 1/N is named as such ("off by a
    factor 1/N = 1/4"), as the checks and StackGradients name it."""
    try:
        if coords is None:
            check_gradient(label, answer, numeric, atol=ATOL, rtol=RTOL, batch_size=batch_size, expected=expected)
        else:
            check_gradient(label, answer, np.array([numeric[c] for c in coords]), atol=ATOL, rtol=RTOL,
                           batch_size=batch_size, coords=coords, expected=expected)
    except GradientCheckError as error:
        if coords is not None and error.diagnosis not in ("type", "shape", "transpose", "sum_batch"):
            return False, f"{error.message} (checked at {len(coords)} sampled entries of {numeric.size})"
        return False, error.message
    except Exception as error:               # an answer check_gradient cannot even read
        return False, f"{label} cannot be compared: {type(error).__name__}: {error}"
    return True, ""


# --- drawing ---------------------------------------------------------------------------------------------------------
class _Panel:
    """One picture in the figure: a heatmap, bars, or a message in place of them; sizes in inches."""

    def __init__(self, title: str, data=None, *, text: str | None = None, wrong=None, numeric=None,
                 verdict: tuple[bool, str] | None = None, highlight: int | None = None, ylim=None,
                 xlabels=None, width: float | None = None, shape: str = "", guides=()):
        self.shape, self.guides = shape, tuple(guides)
        self.title, self.text, self.wrong, self.numeric = title, text, wrong, numeric
        self.data = None if data is None else np.asarray(data, dtype=np.float64)
        self.verdict, self.highlight, self.ylim, self.xlabels = verdict, highlight, ylim, xlabels
        self.min_width = width
        if self.text is not None or self.data is None:
            self.kind = "text"
        elif _is_vector(self.data):
            self.kind = "bars"
        else:
            self.kind = "heatmap"
            rows, cols = _grid(self.data)[0].shape
            finite = np.abs(self.data[np.isfinite(self.data)])
            if self.shape and not (self.data.ndim == 2 and max(rows, cols) <= MAX_VALUES) and finite.size:
                self.shape += f"  ·  colours from −{_short(finite.max())} to {_short(finite.max())}"

    def size(self, scale: float) -> tuple[float, float, float, float]:
        """(left margin, axes width, axes height, bottom margin) at this scale (1 = full size)."""
        if self.kind == "text":
            return 0.05, (self.min_width or 1.55) * max(scale, 0.8), BAR_HEIGHT, 0.05
        if self.kind == "bars":
            n = max(1, self.data.size)
            width = min(4.0, max(1.0, BAR * scale * n + 0.2))
            if self.min_width:
                width = max(width, self.min_width)
            left = 0.42 if n > MAX_BAR_VALUES else (0.22 if self.guides else 0.06)
            return left, width, BAR_HEIGHT, 0.24 if n <= 24 else 0.08
        rows, cols = _grid(self.data)[0].shape
        if self.data.ndim == 2 and max(rows, cols) <= MAX_VALUES:
            cell = CELL * scale
        else:
            cell = min(CELL * scale, 2.6 / cols, 2.2 / rows)
        ticks = self.data.ndim == 2 and max(rows, cols) <= 16
        return (0.25 if ticks else 0.08), cols * cell, rows * cell, (0.2 if ticks else 0.08)


def _grid(array: np.ndarray):
    """A 2-D picture of an array with its position function: a matrix as it is; an array of more dimensions as
    its last-two-axes slices side by side, one blank (nan) row/column between them (e.g. 8 filters 3 x 3)."""
    if array.ndim == 2:
        return array, lambda index: tuple(index)
    if array.ndim < 2:
        row = array.reshape(1, -1)
        return row, lambda index: (0, int(index[0]) if len(index) else 0)
    rows, cols = array.shape[-2:]
    blocks = array.reshape(-1, rows, cols)
    count = len(blocks)
    per_row = max(1, min(count, math.ceil(math.sqrt(count * rows / max(cols, 1)))))
    lines = math.ceil(count / per_row)
    grid = np.full((lines * (rows + 1) - 1, per_row * (cols + 1) - 1), np.nan)
    for k, block in enumerate(blocks):
        r, c = divmod(k, per_row)
        grid[r * (rows + 1):r * (rows + 1) + rows, c * (cols + 1):c * (cols + 1) + cols] = block

    def position(index):
        k = int(np.ravel_multi_index(tuple(index[:-2]), array.shape[:-2])) if array.ndim > 2 else 0
        r, c = divmod(k, per_row)
        return r * (rows + 1) + int(index[-2]), c * (cols + 1) + int(index[-1])
    return grid, position


def _wrap(text: str, width: float, size: float) -> str:
    """``text`` broken into lines that fit ``width`` inches at ``size`` points (average character 0.55 em)."""
    chars = max(12, int(width * 72 / (size * 0.55)))
    return "\n".join("\n".join(textwrap.wrap(part, chars, break_long_words=True)) or " "
                     for part in text.split("\n"))


def _heatmap(ax, panel: _Panel, scale: float) -> None:
    data = panel.data
    grid, position = _grid(data)
    finite = np.abs(grid[np.isfinite(grid)])
    vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    cmap = colormaps[CMAP].with_extremes(bad="white")
    ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=-vmax, vmax=vmax, aspect="auto",
              interpolation="nearest")
    rows, cols = grid.shape
    values = data.ndim == 2 and max(rows, cols) <= MAX_VALUES
    size = 7 * min(1.0, scale + 0.1)
    wrong = panel.wrong if panel.wrong is not None else np.zeros(data.shape, bool)
    for index in np.ndindex(data.shape):
        r, c = position(index)
        if wrong[index]:
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor=COLORS["wrong"],
                                   linewidth=2.2 if values else 1.2, hatch=None if values else "////",
                                   zorder=3))
        if not values:
            continue
        value = data[index]
        dark = np.isfinite(value) and abs(value) > 0.55 * vmax
        color = "white" if dark else "black"
        if wrong[index] and panel.numeric is not None:
            ax.text(c, r - 0.13, _short(value), ha="center", va="center", fontsize=size, color=color, zorder=4)
            ax.text(c, r + 0.22, f"≠ {_short(panel.numeric[index])}", ha="center", va="center",
                    fontsize=size * 0.85, color=color, fontweight="bold", zorder=4)
        else:
            ax.text(c, r, _short(value), ha="center", va="center", fontsize=size, color=color, zorder=4)
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    if data.ndim == 2 and max(rows, cols) <= 16:
        ax.set_xticks(range(cols))
        ax.set_yticks(range(rows))
        ax.tick_params(labelsize=6.5, length=0, pad=2)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#999999")


def _bars(ax, panel: _Panel) -> None:
    values = panel.data.reshape(-1)
    n = values.size
    x = np.arange(n)
    numeric = None if panel.numeric is None else np.asarray(panel.numeric, float).reshape(-1)
    wrong = np.zeros(n, bool) if panel.wrong is None else np.asarray(panel.wrong).reshape(-1)
    if panel.highlight is not None:
        ax.axvspan(panel.highlight - 0.5, panel.highlight + 0.5, color=COLORS["selected_fill"], zorder=0)
    colors = [POSITIVE if v >= 0 else NEGATIVE for v in values]
    bars = ax.bar(x, np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0), width=0.68, color=colors,
                  edgecolor="#555555", linewidth=0.6 if n <= 24 else 0.0, zorder=2)
    pitch = ax.get_position().width * ax.figure.get_figwidth() * 72 / max(n, 1)   # points per bar
    for k, bar in enumerate(bars):
        if wrong[k]:
            bar.set_edgecolor(COLORS["wrong"])
            bar.set_linewidth(2.0)
            bar.set_hatch("///")
        elif panel.highlight == k:
            bar.set_edgecolor(COLORS["selected"])
            bar.set_linewidth(2.0)
    ax.axhline(0, color="#444444", linewidth=0.8, zorder=3)
    if numeric is not None:
        ax.plot(x, numeric, linestyle="none", marker="_", markersize=max(2.0, min(18.0, 0.8 * pitch)),
                markeredgewidth=2.2 if n <= 24 else 1.2, color="black", zorder=5, label="numeric")
    shown = np.concatenate([values[np.isfinite(values)], [0.0]] +
                           ([] if numeric is None else [numeric[np.isfinite(numeric)]]))
    low, high = (panel.ylim if panel.ylim is not None else (float(shown.min()), float(shown.max())))
    span = (high - low) or 1.0
    pad = 0.2 * span if n <= MAX_BAR_VALUES else 0.06 * span
    ax.set_ylim(low - (pad if low < 0 or panel.ylim is None else 0), high + pad)
    if n <= MAX_BAR_VALUES:
        for k, v in enumerate(values):
            top = v if numeric is None or not np.isfinite(numeric[k]) else (
                max(v, numeric[k]) if v >= 0 else min(v, numeric[k]))
            if not np.isfinite(top):
                top = 0.0
            ax.annotate(_short(v), (k, top), xytext=(0, 3.5 if v >= 0 else -3.5), textcoords="offset points",
                        ha="center", va="bottom" if v >= 0 else "top", fontsize=6.5, zorder=6,
                        color=COLORS["wrong"] if wrong[k] else "#222222")
    ax.set_xlim(-0.6, n - 0.4)
    for level in panel.guides:
        ax.axhline(level, color="#999999", linewidth=0.7, linestyle=(0, (3, 3)), zorder=1)
    if n <= MAX_BAR_VALUES:                  # the values are written: no y axis
        ax.spines["left"].set_visible(False)
        ax.set_yticks(list(panel.guides))
        ax.set_yticklabels([_short(v) for v in panel.guides])
        ax.tick_params(axis="y", length=0, colors="#777777")
    if n <= 24:
        ax.set_xticks(x)
        if panel.xlabels is not None:
            ax.set_xticklabels(panel.xlabels)
    else:
        ax.set_xticks([])
    ax.tick_params(labelsize=6.5, length=2, pad=2)
    for label in ax.get_xticklabels():
        if panel.highlight is not None and label.get_text().endswith("= y"):
            label.set_fontweight("bold")
            label.set_color(COLORS["selected"])
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)


def _figure(title: str, groups: list[tuple[str, str, list[_Panel]]], note: str = "") -> Figure:
    """Groups of panels side by side, each under its heading (two lines), thin grey lines between groups; the
    panels of a group side by side too, their axes aligned at the top, each with its title and shape above and
    its verdict under it. Everything is placed in inches on one background axes. When the groups do not fit
    MAX_WIDTH even with smaller cells, the last group goes to a second row."""
    probe = Figure(dpi=DPI)
    FigureCanvasAgg(probe)

    def text_width(text, size, weight="normal"):
        return max(_measure(probe, line, size, weight)[0] for line in text.split("\n"))

    def title_lines(text, width):
        """The title broken before its parentheses first ("∂c/∂x = ∂c/∂z Wᵀ" / "(eq. 12)"), then between
        words, so that each line fits ``width`` inches."""
        pieces = [p if k == 0 else "(" + p for k, p in enumerate(text.split(" ("))]
        lines = []
        for piece in pieces:
            if lines and text_width(lines[-1] + " " + piece, TITLE_SIZE) <= width:
                lines[-1] += " " + piece
            elif text_width(piece, TITLE_SIZE) <= width:
                lines.append(piece)
            else:
                lines.extend(_wrap(piece, width, TITLE_SIZE).split("\n"))
        return "\n".join(lines)

    def slot_width(panel, scale):
        left, w, _, _ = panel.size(scale)
        pieces = [p if k == 0 else "(" + p for k, p in enumerate(panel.title.split(" ("))]
        longest = max(text_width(p, TITLE_SIZE) for p in pieces) + 0.08
        return max(left + w + 0.06, min(longest, 1.9), 1.25 if panel.verdict is not None else 0)

    def plan(scale):
        slots = [[slot_width(p, scale) for p in panels] for _, _, panels in groups]
        widths = [max(sum(s) + SLOT_GAP * (len(s) - 1), text_width(name, 9, "bold") + 0.1)
                  for (name, _, _), s in zip(groups, slots)]
        return slots, widths

    def row_width(row, widths):
        return 2 * MARGIN + sum(widths[g] for g in row) + GROUP_GAP * (len(row) - 1)

    everything = list(range(len(groups)))
    choices = [([everything], scale) for scale in (1.0, 0.85, 0.72)]
    if len(groups) > 1:
        choices += [([everything[:-1], everything[-1:]], scale) for scale in (1.0, 0.85, 0.72)]
    for rows, scale in choices:
        slots, widths = plan(scale)
        if max(row_width(row, widths) for row in rows) <= MAX_WIDTH:
            break
    width = max(row_width(row, widths) for row in rows)

    def parts(panel, sw):
        """(title text, title height, axes height, bottom margin, verdict text, verdict height)"""
        _, _, h, bottom = panel.size(scale)
        if panel.kind == "text":
            h = max(0.5, (_wrap(panel.text, sw - 0.16, TEXT_SIZE).count("\n") + 1) * TEXT_SIZE / 72 * 1.3 + 0.16)
        title_text = title_lines(panel.title, sw)
        title_h = (title_text.count("\n") + 1) * TITLE_SIZE / 72 * 1.25 + (0.22 if panel.shape else 0.1)
        verdict_text, verdict_h = "", 0.0
        if panel.verdict is not None:
            ok, words = panel.verdict
            verdict_text = _wrap(("✓ " if ok else "✗ ") + words, sw - 0.04, TEXT_SIZE)
            verdict_h = 0.08 + (verdict_text.count("\n") + 1) * TEXT_SIZE / 72 * 1.3
        return title_text, title_h, h, bottom, verdict_text, verdict_h

    heading = 0.18 + 0.16 * max(name.count("\n") + 1 for name, _, _ in groups)
    note_text = _wrap(note, width - 2 * MARGIN, 7.5) if note else ""
    top = 0.36 + (0.04 + (note_text.count("\n") + 1) * 0.15 if note else 0.0)
    layouts, height = [], top
    for row in rows:
        cells = [[parts(p, slots[g][k]) for k, p in enumerate(groups[g][2])] for g in row]
        title_h = max(c[1] for cs in cells for c in cs)
        body = max(c[2] + c[3] + c[5] for cs in cells for c in cs)
        layouts.append((row, cells, title_h, heading + title_h + body))
        height += heading + title_h + body + 0.15
    height += 0.05

    fig, back = inch_canvas(width, height, DPI)
    write_heading(back, MARGIN, height - 0.12, title, note_text if note else "", note_gap=0.24, linespacing=1.25)
    y = height - top
    for row, cells, title_h, row_height in layouts:
        x = MARGIN
        for position, g in enumerate(row):
            name, color, panels = groups[g]
            group_width = widths[g]
            back.text(x + group_width / 2, y - 0.04, name, ha="center", va="top", fontsize=9, color=color,
                      fontweight="bold", linespacing=1.15)
            back.plot([x + 0.05, x + group_width - 0.05], [y - heading + 0.06] * 2, color=color, linewidth=1.2)
            if position:
                back.plot([x - GROUP_GAP / 2] * 2, [y - 0.04, y - row_height], color="#cccccc", linewidth=1)
            used = sum(slots[g]) + SLOT_GAP * (len(panels) - 1)
            px = x + (group_width - used) / 2
            axes_top = y - heading - title_h
            for k, panel in enumerate(panels):
                sw = slots[g][k]
                title_text, _, h, bottom, verdict_text, _ = cells[position][k]
                left, w, _, _ = panel.size(scale)
                if panel.kind == "text":
                    ax_x, w = px, sw
                else:
                    ax_x = px + left + (sw - left - w - 0.06) / 2
                center = ax_x + w / 2 if panel.kind != "text" else px + sw / 2
                back.text(center, axes_top + (0.2 if panel.shape else 0.06), title_text, ha="center",
                          va="bottom", fontsize=TITLE_SIZE, linespacing=1.25)
                if panel.shape:
                    back.text(center, axes_top + 0.05, panel.shape, ha="center", va="bottom", fontsize=7,
                              color="#777777")
                if panel.kind == "text":
                    back.add_patch(Rectangle((px, axes_top - h), sw, h, facecolor="#fdf0f0",
                                             edgecolor=COLORS["wrong"], linewidth=0.8))
                    back.text(px + 0.08, axes_top - 0.08, _wrap(panel.text, sw - 0.16, TEXT_SIZE), ha="left",
                              va="top", fontsize=TEXT_SIZE, color=COLORS["wrong"], linespacing=1.3)
                else:
                    ax = fig.add_axes((ax_x / width, (axes_top - h) / height, w / width, h / height))
                    if panel.kind == "bars":
                        _bars(ax, panel)
                    else:
                        _heatmap(ax, panel, scale)
                if verdict_text:
                    back.text(px + 0.02, axes_top - h - bottom - 0.06, verdict_text, ha="left", va="top",
                              fontsize=TEXT_SIZE, linespacing=1.3,
                              color=COLORS["visited"] if panel.verdict[0] else COLORS["wrong"])
                px += sw + SLOT_GAP
            x += group_width + GROUP_GAP
        y -= row_height + 0.15
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    fig.clear()                              # not attached to pyplot: nothing else keeps it alive
    return buffer.getvalue()


def _message_html(errors: list[str], lines: list[tuple[bool, str]]) -> str:
    parts = []
    for text in errors:
        parts.append(f'<div style="color:{COLORS["wrong"]};border-left:3px solid {COLORS["wrong"]};'
                     f'padding-left:6px;margin-bottom:4px">{html.escape(text)}</div>')
    for ok, text in lines:
        color = COLORS["visited"] if ok else COLORS["wrong"]
        parts.append(f'<div style="color:{color};margin-bottom:2px">{"✓" if ok else "✗"} {html.escape(text)}</div>')
    return f"<div style='font-size:13px;line-height:1.45'>{''.join(parts)}</div>"


# --- LayerGradients --------------------------------------------------------------------------------------------
class LayerGradients(widgets.VBox):
    """Upstream, local and downstream gradients of one layer written by the student, on random samples.

    ``forward(*inputs) -> (out, cache)`` and ``backward(dout, cache) -> grads`` are the student's functions;
    ``backward`` returns one gradient per input, in the order of ``names`` (a layer with one input may return
    the bare array). ``sample(rng) -> tuple of inputs`` (in forward's order) is called at start and at each
    click on **New sample**, with ``rng = numpy.random.default_rng(seed)``; the upstream gradient ∂c/∂out is
    then drawn by the widget (standard normal, of the shape of ``out``).

    ``names``: the inputs' names, e.g. ``("x", "W", "b")``: the gradients are shown as ∂c/∂x, ... and called
    dx, dW, db in the messages. ``local(*inputs) -> {label: array}`` (optional): the local parts to show, e.g.
    ``{"Wᵀ": W.T, "xᵀ": x.T}``; without it the inputs themselves are shown in the middle group.
    ``formulas``: ``{name: "∂c/∂x = ∂c/∂z Wᵀ (eq. 12)"}``, the titles of the downstream gradients.
    ``output``: the name of the layer's output in the titles (∂c/∂z by default).
    ``batch_size``: the number N of samples of a mini-batch (notebook 05), so that a gradient off by N or 1/N is
    diagnosed as such, as the notebook's checks do; by default the number of rows of the layer's output when it
    is a matrix (1 for the single-sample layers of notebooks 02 and 03, where no factor N exists).

    Parts, for notebooks and tests: ``new_sample_button``, ``image`` (the drawing, a PNG), ``message`` (HTML).
    ``state()`` returns what is shown as plain data; ``draw()`` the matplotlib figure.
    """

    def __init__(self, forward: Callable, backward: Callable, sample: Callable, *, names, local=None,
                 formulas: dict | None = None, title: str | None = None, seed: int = 0, output: str = "z",
                 batch_size: int | None = None):
        if isinstance(names, str):
            names = (names,)
        self.names = tuple(names)
        if not self.names:
            raise ValueError("LayerGradients needs the names of the layer's inputs, e.g. names=('x', 'W', 'b')")
        self.forward, self.backward, self.sample, self.local = forward, backward, sample, local
        self.formulas = dict(formulas or {})
        unknown = [k for k in self.formulas if k not in self.names]
        if unknown:
            raise ValueError(f"formulas for unknown inputs {unknown}; the inputs are {list(self.names)}")
        if batch_size is not None and not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
            raise ValueError(f"batch_size must be a positive integer (the N of the mini-batch), not {batch_size!r}")
        self.output = output
        self.batch_size = None if batch_size is None else int(batch_size)
        self._forward_name = _name_of(forward, "forward")
        self._backward_name = _name_of(backward, "backward")
        self.title = title or f"{self._forward_name} and {self._backward_name}"
        self._rng = np.random.default_rng(seed)
        self._count = 0

        self.new_sample_button = widgets.Button(description="New sample", icon="refresh",
                                                tooltip="draw new inputs and a new upstream gradient",
                                                layout=widgets.Layout(width="auto"))
        self.new_sample_button.add_class("layer-gradients-new-sample")
        self.new_sample_button.on_click(lambda _: self.new_sample())
        self.message = widgets.HTML(layout=widgets.Layout(max_width="1000px"))
        self.message.add_class("layer-gradients-message")
        self.image = widgets.Image(format="png")
        self.image.add_class("layer-gradients-figure")
        picture = widgets.Box([self.image], layout=widgets.Layout(overflow="auto", max_width="100%"))
        super().__init__([self.new_sample_button, picture, self.message])
        self.add_class("layer-gradients")
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
            "inputs": {n: _as_list(x) for n, x in zip(self.names, self._inputs or ())},
            "upstream": _as_list(self._dout),
            "output": _as_list(self._out),
            "local": {k: _as_list(v) for k, v in self._local.items()},
            "downstream": {n: _as_list(self._shown.get(n)) for n in self.names},
            "numeric": {n: _as_list(self._numeric.get(n)) for n in self.names},
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
        except _Unusable as error:
            self._errors.append(str(error))
            return
        if self.local is not None:
            try:
                parts = _call("local", self.local, *[x.copy() for x in self._inputs])
                if not isinstance(parts, dict):
                    raise _Unusable(f"local returned {_describe(parts)}, not a dict {{label: array}}")
                for label, value in parts.items():
                    array = _numbers(value)
                    if array is None:
                        raise _Unusable(f"local[{label!r}] is {_describe(value)}, not an array of numbers")
                    self._local[str(label)] = array
            except _Unusable as error:
                self._local, self._local_error = {}, str(error)
                self._errors.append(self._local_error)
        try:
            self._answers = self._run_backward(cache)
        except _Unusable as error:
            self._backward_error = str(error)
            self._errors.append(self._backward_error)
        for i, name in enumerate(self.names):
            try:
                numeric, coords = self._measure(i)
            except _Unusable as error:
                self._errors.append(str(error))
                self._numeric = {}
                break
            self._numeric[name] = numeric
            if name not in self._answers:
                continue
            answer = self._answers[name]
            self._ok[name], self._verdict[name] = _check(
                f"d{name}", answer, numeric, coords, f"the numeric gradient of your {self._forward_name}",
                self._batch_size())
            array = _numbers(answer) if not (isinstance(answer, (tuple, list)) and len(answer) > 1
                                             and any(isinstance(a, np.ndarray) for a in answer)) else None
            if array is not None:
                self._shown[name] = array
            if array is not None and array.shape == numeric.shape:
                self._wrong_cells[name] = _cells(_wrong_mask(array, numeric))
            else:
                self._wrong_cells[name] = []

    def _batch_size(self) -> int | None:
        """N: the one given, else the number of rows of forward's output when it is a matrix (or more)."""
        if self.batch_size is not None:
            return self.batch_size
        return int(self._out.shape[0]) if self._out is not None and self._out.ndim >= 2 else None

    def _draw_inputs(self) -> tuple[np.ndarray, ...]:
        inputs = _call("sample", self.sample, self._rng)
        if isinstance(inputs, np.ndarray) and len(self.names) == 1:
            inputs = (inputs,)
        if not isinstance(inputs, (tuple, list)) or len(inputs) != len(self.names):
            raise _Unusable(f"sample returned {_describe(inputs)}, not a tuple of {len(self.names)} arrays "
                            f"({', '.join(self.names)})")
        arrays = []
        for name, value in zip(self.names, inputs):
            array = _numbers(value)
            if array is None:
                raise _Unusable(f"sample returned {name} = {_describe(value)}, not an array of numbers")
            arrays.append(array)
        return tuple(arrays)

    def _run_forward(self):
        """(out as a float64 array, cache) from the student's forward, on copies of the inputs."""
        result = _call(self._forward_name, self.forward, *[x.copy() for x in self._inputs])
        if not isinstance(result, tuple) or len(result) != 2:
            raise _Unusable(f"{self._forward_name} returned {_describe(result)}, not the pair (out, cache): "
                            "end it with return out, cache")
        out = _numbers(result[0])
        if out is None:
            raise _Unusable(f"{self._forward_name} returned out = {_describe(result[0])}, not an array of "
                            "numbers")
        return out, result[1]

    def _run_backward(self, cache) -> dict:
        """{name: the student's gradient} from backward (on a copy of the upstream gradient)."""
        shapes = ", ".join(f"{n} {x.shape}" for n, x in zip(self.names, self._inputs))
        context = f"; the shapes here: ∂c/∂{self.output} {self._dout.shape}, {shapes}"
        grads = _call(self._backward_name, self.backward, self._dout.copy(), cache, context=context)
        count = len(self.names)
        if count == 1:
            if isinstance(grads, (tuple, list)) and len(grads) == 1:
                grads = grads[0]
            return {self.names[0]: grads}
        listed = ", ".join(f"d{n}" for n in self.names)
        if grads is None:
            raise _Unusable(f"{self._backward_name} returned None: end it with return {listed}")
        if not isinstance(grads, (tuple, list)) or len(grads) != count:
            raise _Unusable(f"{self._backward_name} returned {_describe(grads)}, not a tuple of {count} "
                            f"gradients ({listed}), one per input in the order of {self._forward_name}'s "
                            "arguments")
        return dict(zip(self.names, grads))

    def _measure(self, i: int):
        """The numeric gradient of forward's out · ∂c/∂out with respect to input i (nan where not measured,
        when the input is large) and the coordinates measured (None: all)."""
        x = self._inputs[i].copy()
        others = self._inputs

        def out_of(v):
            args = [v.copy() if j == i else others[j].copy() for j in range(len(others))]
            return self.forward(*args)[0]

        coords = None if x.size <= MAX_CHECKED else sample_coordinates(x.shape, MAX_CHECKED, seed=self._count)
        try:
            measured = numeric_gradient_array(out_of, x, self._dout, coords=coords)
        except Exception as error:
            raise _Unusable(_raised(self._forward_name, error, " while the widget measured the numeric "
                                    f"gradient with respect to {self.names[i]}")) from None
        if coords is None:
            return measured, None
        full = np.full(x.shape, np.nan)
        for c, v in zip(coords, measured):
            full[c] = v
        return full, coords

    # --- what is shown --------------------------------------------------------------------------------------
    def _message_lines(self) -> list[tuple[bool, str]]:
        if self._dout is None or self._backward_error or not self._numeric:
            return []
        bad = [(False, f"d{n}: {self._verdict[n]}") for n in self.names if n in self._numeric
               and not self._ok[n]]
        if bad:
            return bad
        listed = ", ".join(f"d{n}" for n in self.names)
        return [(True, f"{listed} {'agree' if len(self.names) > 1 else 'agrees'} with the numeric gradient of "
                       f"your {self._forward_name} through the same upstream gradient ∂c/∂{self.output}. "
                       "Click New sample to try other values.")]

    def _message_text(self) -> str:
        lines = list(self._errors)
        lines += [("✓ " if ok else "✗ ") + text for ok, text in self._message_lines()]
        return "\n".join(lines)

    def _show(self) -> None:
        self.message.value = _message_html(self._errors, self._message_lines())
        figure = self.draw()
        if figure is None:
            self.image.layout.display = "none"
            self.image.value = b""
        else:
            self.image.layout.display = None
            self.image.value = _png(figure)

    def _figure(self) -> Figure:
        up = f"∂c/∂{self.output}"
        upstream = [_Panel(up, self._dout, shape=_shape(self._dout))]
        local_heading = "local gradients\n(gradients locaux)"
        if self._local_error:
            middle = (local_heading, [_Panel("local", text=self._local_error)])
        elif self._local:
            middle = (local_heading, [_Panel(label, v, shape=_shape(v)) for label, v in self._local.items()])
        else:
            middle = ("inputs\n(the local gradients depend on them)",
                      [_Panel(n, x, shape=_shape(x)) for n, x in zip(self.names, self._inputs)])
        if self._backward_error or not self._numeric:
            reason = self._backward_error or self._errors[-1]
            downstream = [_Panel(f"∂c/∂{', ∂c/∂'.join(self.names)}", text=reason, width=3.2)]
        else:
            downstream = []
            for name in self.names:
                title = self.formulas.get(name, f"∂c/∂{name}")
                numeric = self._numeric[name]
                shown = self._shown.get(name)
                verdict = (True, "matches the numeric gradient") if self._ok[name] else \
                    (False, self._verdict[name])
                if shown is None or shown.shape != numeric.shape:
                    panel = _Panel(title, text="✗ " + self._verdict[name], shape=f"expected {_shape(numeric)}")
                else:
                    mask = np.zeros(shown.shape, bool)
                    for c in self._wrong_cells[name]:
                        mask[c] = True
                    panel = _Panel(title, shown, wrong=mask, numeric=numeric, shape=_shape(shown),
                                   verdict=verdict)
                downstream.append(panel)
        groups = [("upstream gradient\n(gradient amont)", COLORS["selected"], upstream),
                  (middle[0], COLORS["flow"], middle[1]),
                  ("downstream gradients\n(gradients aval)", COLORS["flow"], downstream)]
        note = (f"sample {self._count}: random inputs and upstream gradient ∂c/∂{self.output} · downstream: "
                f"your {self._backward_name}; black ticks on bars, ≠ in cells: the numeric gradient of your "
                f"{self._forward_name}; red: where yours differs")
        return _figure(self.title, groups, note)


# --- LossGradients ---------------------------------------------------------------------------------------------
class LossGradients(widgets.VBox):
    """Logits s, the probabilities p of the student's softmax, and the student's ∂c/∂s with the numeric
    gradient of the student's loss over it (document 003 §3.3: c = -ln p_y).

    ``loss(s, y) -> (c, ds)``: the student's softmax cross-entropy; ``softmax(s) -> p``: the student's softmax;
    ``s``: the logits, shape (1, C) or (C,), passed to both in that shape; ``y``: the correct class.

    Parts, for notebooks and tests: ``slider`` (the correct class's logit s_y), ``class_picker`` (y),
    ``image`` (the drawing, a PNG), ``message`` (HTML). ``state()`` returns what is shown as plain data;
    ``draw()`` the matplotlib figure.
    """

    def __init__(self, loss: Callable, softmax: Callable, s, y: int, *, title: str | None = None):
        logits = _numbers(s)
        if logits is None or logits.ndim > 2 or (logits.ndim == 2 and logits.shape[0] != 1) or logits.size < 2:
            raise ValueError(f"LossGradients needs logits s of shape (1, C) or (C,) with C >= 2, not {s!r}")
        classes = logits.size
        if not (isinstance(y, (int, np.integer)) and 0 <= int(y) < classes):
            raise ValueError(f"y must be a class index between 0 and {classes - 1}, not {y!r}")
        self.loss, self.softmax = loss, softmax
        self._loss_name = _name_of(loss, "loss")
        self._softmax_name = _name_of(softmax, "softmax")
        self.title = title or f"{self._loss_name} and {self._softmax_name}"
        self._s = logits.copy()
        self._y = int(y)

        low = math.floor(min(-2.0, float(logits.min()) - 3))
        high = math.ceil(max(6.0, float(logits.max()) + 6))
        self.slider = widgets.FloatSlider(value=float(self._flat[self._y]), min=low, max=high, step=0.05,
                                          description=f"s_{self._y} (correct class's logit)",
                                          continuous_update=False, readout_format=".2f",
                                          style={"description_width": "initial"},
                                          layout=widgets.Layout(width="460px"))
        self.slider.add_class("loss-gradients-slider")
        self.slider.observe(self._on_slider, names="value")
        self.class_picker = widgets.Dropdown(options=[(str(k), k) for k in range(classes)], value=self._y,
                                             description="correct class y", style={"description_width": "initial"},
                                             layout=widgets.Layout(width="auto"))
        self.class_picker.add_class("loss-gradients-class")
        self.class_picker.observe(self._on_class, names="value")
        hint = widgets.HTML("<span style='color:#555'>drag the correct class's logit: watch p_y and ∂c/∂s_y</span>")
        self.image = widgets.Image(format="png")
        self.image.add_class("loss-gradients-figure")
        self.message = widgets.HTML(layout=widgets.Layout(max_width="1000px"))
        self.message.add_class("loss-gradients-message")
        controls = widgets.HBox([self.class_picker, self.slider, hint],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        picture = widgets.Box([self.image], layout=widgets.Layout(overflow="auto", max_width="100%"))
        super().__init__([controls, picture, self.message])
        self.add_class("loss-gradients")
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
        self.slider.description = f"s_{self._y} (correct class's logit)"
        self.slider.observe(self._on_slider, names="value")
        self._compute()
        self._show()

    # --- what is computed --------------------------------------------------------------------------------------
    def _compute(self) -> None:
        classes = self._s.size
        self._p = self._c = self._ds = self._numeric = None
        self._ok, self._verdict, self._wrong, self._errors = False, "", [], []
        try:
            p = _numbers(_call(self._softmax_name, self.softmax, self._s.copy()))
            if p is None or p.size != classes:
                what = "not an array of numbers" if p is None else f"an array of shape {p.shape}"
                raise _Unusable(f"{self._softmax_name} returned {what}, not {classes} probabilities "
                                f"(the shape of s, {self._s.shape})")
            self._p, self._p_raw = p.reshape(-1), p
        except _Unusable as error:
            self._errors.append(str(error))
        try:
            result = _call(self._loss_name, self.loss, self._s.copy(), self._y)
            if not isinstance(result, tuple) or len(result) != 2:
                raise _Unusable(f"{self._loss_name} returned {_describe(result)}, not the pair (c, ds): end it "
                                "with return c, ds")
            c = _numbers(result[0])
            if c is None or c.size != 1:
                raise _Unusable(f"{self._loss_name} returned c = {_describe(result[0])}, not one number")
            self._c = float(c.reshape(()))
            answer = result[1]
            self._ds = _numbers(answer)
        except _Unusable as error:
            self._errors.append(str(error))
            return
        x = self._s.copy()
        y = self._y
        try:
            self._numeric = numeric_gradient(lambda v: self.loss(v.copy(), y)[0], x)
        except Exception as error:
            self._errors.append(_raised(self._loss_name, error, " while the widget measured the numeric gradient"))
            return
        self._ok, self._verdict = _check("ds", answer, self._numeric, None,
                                         f"the numeric gradient of your {self._loss_name}")
        if self._ds is not None and self._ds.shape == self._numeric.shape:
            self._wrong = [int(k) for k in np.flatnonzero(_wrong_mask(self._ds.reshape(-1),
                                                                       self._numeric.reshape(-1)))]

    # --- what is shown --------------------------------------------------------------------------------------
    def _message_lines(self) -> list[tuple[bool, str]]:
        if self._numeric is None:
            return []
        if not self._ok:
            return [(False, f"ds: {self._verdict}")]
        return [(True, f"ds agrees with the numeric gradient of your {self._loss_name}. Drag s_{self._y} and "
                       f"watch p_{self._y} and ∂c/∂s_{self._y}; then pick another class.")]

    def _message_text(self) -> str:
        return "\n".join(list(self._errors) + [("✓ " if ok else "✗ ") + t for ok, t in self._message_lines()])

    def _show(self) -> None:
        self.message.value = _message_html(self._errors, self._message_lines())
        self.image.value = _png(self._figure())

    def _figure(self) -> Figure:
        classes, y = self._s.size, self._y
        labels = [f"{k} = y" if k == y else str(k) for k in range(classes)]
        width = max(2.4, min(2.7, 0.5 * classes + 0.3))   # room for the values over the bars
        logits = _Panel("logits s", self._flat, shape=_shape(self._s), highlight=y, xlabels=labels,
                        ylim=(min(self.slider.min, float(self._flat.min())),
                              max(self.slider.max, float(self._flat.max()))), width=width)
        if self._p is None:
            probabilities = _Panel(f"p = {self._softmax_name}(s)", text=self._errors[0], width=width)
        else:
            probabilities = _Panel(f"p = {self._softmax_name}(s)", self._p, highlight=y, xlabels=labels,
                                   shape=_shape(self._p_raw),
                                   ylim=(min(0.0, float(np.nanmin(self._p))), max(1.0, float(np.nanmax(self._p)))),
                                   width=width, guides=(1.0,))
        verdict = None
        if self._numeric is not None:
            verdict = (True, "matches the numeric gradient (black ticks)") if self._ok else (False, self._verdict)
        if self._numeric is None:
            gradient = _Panel("∂c/∂s (your ds)", text=self._errors[-1] if self._errors else "?", width=width)
        elif self._ds is None or self._ds.shape != self._numeric.shape:
            gradient = _Panel("∂c/∂s (your ds)", text="✗ " + self._verdict, width=width,
                              shape=f"expected {_shape(self._s)}")
        else:
            mask = np.zeros(classes, bool)
            mask[self._wrong] = True
            values = np.concatenate([self._ds.reshape(-1), self._numeric.reshape(-1)])
            values = values[np.isfinite(values)]
            low = min(-1.0, float(values.min())) if values.size else -1.0
            high = max(1.0, float(values.max())) if values.size else 1.0
            gradient = _Panel("∂c/∂s (your ds)", self._ds, wrong=mask, numeric=self._numeric, verdict=verdict,
                              shape=_shape(self._ds),
                              highlight=y, xlabels=labels, ylim=(low, high), width=width, guides=(-1.0, 1.0))
        loss = "c = ?" if self._c is None else f"c = {fmt(self._c)}"
        title = f"{self.title}: {loss}  (correct class y = {y}, s_{y} = {fmt(float(self._flat[y]))})"
        groups = [("the logits", COLORS["flow"], [logits]), ("your softmax", COLORS["flow"], [probabilities]),
                  ("your gradient of the loss", COLORS["selected"], [gradient])]
        note = "highlighted: the correct class y; black ticks: the numeric gradient of your loss; red: ds differs"
        return _figure(title, groups, note)
