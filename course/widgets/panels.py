"""The shared panels of the layer widgets: a heatmap, bars or a message, side by side in groups.

``panel_figure`` lays out groups of ``Panel`` (the upstream gradient, the local gradients, the downstream gradients
of ``LayerGradients`` and ``StackGradients``; the logits, probabilities and gradient of ``LossGradients``), each
group under its heading, each panel with its title and shape above and its verdict under it. A matrix is a
heatmap with its values written in the cells, a vector is bars; the entries where the student's gradient
disagrees are outlined in red, with the numeric value next to them.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course.i18n import _
from course.widgets.drawing import COLORS, inch_canvas, short, text_width, wrap, write_heading

__all__ = ["Panel", "panel_figure", "gradient_panel", "dimensions", "grid_of", "upstream_heading", "local_heading",
           "inputs_heading"]

MAX_VALUES = 8           # the values are written in the cells of a heatmap up to 8 x 8, in the bars up to 12 bars
MAX_BAR_VALUES = 12

# Geometry, in inches.
MAX_WIDTH = 10.2         # a notebook 1000 px wide, at drawing.DPI
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


# The headings of the three groups of the layer widgets (the French edition's say it once, in French).
def upstream_heading() -> str:
    return _("upstream gradient\n(gradient amont)")


def local_heading() -> str:
    return _("local gradients\n(gradients locaux)")


def inputs_heading() -> str:
    return _("inputs\n(the local gradients depend on them)")


def dimensions(array) -> str:
    """The shape of an array as a title says it: "4 × 3", "scalar"."""
    return " × ".join(str(n) for n in np.shape(array)) or _("scalar")


def _is_vector(array: np.ndarray) -> bool:
    """Drawn as bars: shape (n,), (1, n) or a scalar."""
    return array.ndim <= 1 or (array.ndim == 2 and array.shape[0] == 1)


class Panel:
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
            rows, cols = grid_of(self.data)[0].shape
            finite = np.abs(self.data[np.isfinite(self.data)])
            if self.shape and not (self.data.ndim == 2 and max(rows, cols) <= MAX_VALUES) and finite.size:
                self.shape += "  ·  " + _("colours from −{top} to {top}").format(top=short(finite.max()))

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
        rows, cols = grid_of(self.data)[0].shape
        if self.data.ndim == 2 and max(rows, cols) <= MAX_VALUES:
            cell = CELL * scale
        else:
            cell = min(CELL * scale, 2.6 / cols, 2.2 / rows)
        ticks = self.data.ndim == 2 and max(rows, cols) <= 16
        return (0.25 if ticks else 0.08), cols * cell, rows * cell, (0.2 if ticks else 0.08)




def grid_of(array: np.ndarray):
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




def _heatmap(ax, panel: Panel, scale: float) -> None:
    data = panel.data
    grid, position = grid_of(data)
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
            ax.text(c, r - 0.13, short(value), ha="center", va="center", fontsize=size, color=color, zorder=4)
            ax.text(c, r + 0.22, f"≠ {short(panel.numeric[index])}", ha="center", va="center",
                    fontsize=size * 0.85, color=color, fontweight="bold", zorder=4)
        else:
            ax.text(c, r, short(value), ha="center", va="center", fontsize=size, color=color, zorder=4)
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


def _bars(ax, panel: Panel) -> None:
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
            ax.annotate(short(v), (k, top), xytext=(0, 3.5 if v >= 0 else -3.5), textcoords="offset points",
                        ha="center", va="bottom" if v >= 0 else "top", fontsize=6.5, zorder=6,
                        color=COLORS["wrong"] if wrong[k] else "#222222")
    ax.set_xlim(-0.6, n - 0.4)
    for level in panel.guides:
        ax.axhline(level, color="#999999", linewidth=0.7, linestyle=(0, (3, 3)), zorder=1)
    if n <= MAX_BAR_VALUES:                  # the values are written: no y axis
        ax.spines["left"].set_visible(False)
        ax.set_yticks(list(panel.guides))
        ax.set_yticklabels([short(v) for v in panel.guides])
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




# --- the layout of a figure of panels ----------------------------------------------------------------------------
Group = tuple[str, str, list[Panel]]     # (heading, colour, panels)


class _Cell(NamedTuple):
    """The parts of one panel in its slot, in inches."""
    title: str
    title_height: float
    axes_height: float
    bottom: float
    verdict: str
    verdict_height: float


def _title_pieces(title: str) -> list[str]:
    """The title cut before each parenthesis: "∂c/∂x = ∂c/∂z Wᵀ" / "(003 eq. 12)"."""
    return [p if k == 0 else "(" + p for k, p in enumerate(title.split(" ("))]


def _title_lines(text: str, width: float) -> str:
    """The title broken before its parentheses first, then between words, so that each line fits ``width``."""
    lines = []
    for piece in _title_pieces(text):
        if lines and text_width(lines[-1] + " " + piece, TITLE_SIZE) <= width:
            lines[-1] += " " + piece
        elif text_width(piece, TITLE_SIZE) <= width:
            lines.append(piece)
        else:
            lines.extend(wrap(piece, width, TITLE_SIZE).split("\n"))
    return "\n".join(lines)


def _slot_width(panel: Panel, scale: float) -> float:
    left, w, _, _ = panel.size(scale)
    longest = max(text_width(p, TITLE_SIZE) for p in _title_pieces(panel.title)) + 0.08
    return max(left + w + 0.06, min(longest, 1.9), 1.25 if panel.verdict is not None else 0)


def _plan(groups: list[Group], scale: float) -> tuple[list[list[float]], list[float]]:
    """The width of every panel's slot and of every group, at this scale."""
    slots = [[_slot_width(p, scale) for p in panels] for _, _, panels in groups]
    widths = [max(sum(s) + SLOT_GAP * (len(s) - 1), text_width(name, 9, "bold") + 0.1)
              for (name, _, _), s in zip(groups, slots)]
    return slots, widths


def _row_width(row: list[int], widths: list[float]) -> float:
    return 2 * MARGIN + sum(widths[g] for g in row) + GROUP_GAP * (len(row) - 1)


def _arrange(groups: list[Group]):
    """(rows of group indices, scale, slot widths, group widths): all groups on one row at full size if they fit
    MAX_WIDTH, else with smaller cells, else the last group on a second row."""
    everything = list(range(len(groups)))
    choices = [([everything], scale) for scale in (1.0, 0.85, 0.72)]
    if len(groups) > 1:
        choices += [([everything[:-1], everything[-1:]], scale) for scale in (1.0, 0.85, 0.72)]
    for rows, scale in choices:
        slots, widths = _plan(groups, scale)
        if max(_row_width(row, widths) for row in rows) <= MAX_WIDTH:
            break
    return rows, scale, slots, widths


def _cell(panel: Panel, slot: float, scale: float) -> _Cell:
    _, _, h, bottom = panel.size(scale)
    if panel.kind == "text":
        h = max(0.5, (wrap(panel.text, slot - 0.16, TEXT_SIZE).count("\n") + 1) * TEXT_SIZE / 72 * 1.3 + 0.16)
    title = _title_lines(panel.title, slot)
    title_height = (title.count("\n") + 1) * TITLE_SIZE / 72 * 1.25 + (0.22 if panel.shape else 0.1)
    verdict, verdict_height = "", 0.0
    if panel.verdict is not None:
        ok, words = panel.verdict
        verdict = wrap(("✓ " if ok else "✗ ") + words, slot - 0.04, TEXT_SIZE)
        verdict_height = 0.08 + (verdict.count("\n") + 1) * TEXT_SIZE / 72 * 1.3
    return _Cell(title, title_height, h, bottom, verdict, verdict_height)


def panel_figure(title: str, groups: list[Group], note: str = "") -> Figure:
    """Groups of panels side by side, each under its heading (two lines), thin grey lines between groups; the
    panels of a group side by side too, their axes aligned at the top, each with its title and shape above and
    its verdict under it. Everything is placed in inches on one background axes. When the groups do not fit
    MAX_WIDTH even with smaller cells, the last group goes to a second row."""
    rows, scale, slots, widths = _arrange(groups)
    width = max(_row_width(row, widths) for row in rows)
    heading = 0.18 + 0.16 * max(name.count("\n") + 1 for name, _, _ in groups)
    note_text = wrap(note, width - 2 * MARGIN, 7.5) if note else ""
    top = 0.36 + (0.04 + (note_text.count("\n") + 1) * 0.15 if note else 0.0)
    layouts, height = [], top
    for row in rows:
        cells = [[_cell(p, slots[g][k], scale) for k, p in enumerate(groups[g][2])] for g in row]
        title_h = max(c.title_height for cs in cells for c in cs)
        body = max(c.axes_height + c.bottom + c.verdict_height for cs in cells for c in cs)
        layouts.append((row, cells, title_h, heading + title_h + body))
        height += heading + title_h + body + 0.15
    height += 0.05

    fig, back = inch_canvas(width, height)
    write_heading(back, MARGIN, height - 0.12, title, note_text, note_gap=0.24, linespacing=1.25)
    y = height - top
    for row, cells, title_h, row_height in layouts:
        x = MARGIN
        for position, g in enumerate(row):
            name, color, panels = groups[g]
            back.text(x + widths[g] / 2, y - 0.04, name, ha="center", va="top", fontsize=9, color=color,
                      fontweight="bold", linespacing=1.15)
            back.plot([x + 0.05, x + widths[g] - 0.05], [y - heading + 0.06] * 2, color=color, linewidth=1.2)
            if position:
                back.plot([x - GROUP_GAP / 2] * 2, [y - 0.04, y - row_height], color="#cccccc", linewidth=1)
            used = sum(slots[g]) + SLOT_GAP * (len(panels) - 1)
            px = x + (widths[g] - used) / 2
            for k, panel in enumerate(panels):
                _draw_panel(fig, back, panel, cells[position][k], px, slots[g][k], y - heading - title_h, scale)
                px += slots[g][k] + SLOT_GAP
            x += widths[g] + GROUP_GAP
        y -= row_height + 0.15
    return fig


def _draw_panel(fig: Figure, back, panel: Panel, cell: _Cell, px: float, slot: float, axes_top: float,
                scale: float) -> None:
    """One panel in its slot (left edge ``px``), the top of its axes at ``axes_top``: title, shape, the picture
    (or the message in a red box), the verdict."""
    width, height = fig.get_figwidth(), fig.get_figheight()
    left, w, _, _ = panel.size(scale)
    h = cell.axes_height
    if panel.kind == "text":
        ax_x, w = px, slot
        center = px + slot / 2
    else:
        ax_x = px + left + (slot - left - w - 0.06) / 2
        center = ax_x + w / 2
    back.text(center, axes_top + (0.2 if panel.shape else 0.06), cell.title, ha="center", va="bottom",
              fontsize=TITLE_SIZE, linespacing=1.25)
    if panel.shape:
        back.text(center, axes_top + 0.05, panel.shape, ha="center", va="bottom", fontsize=7, color="#777777")
    if panel.kind == "text":
        back.add_patch(Rectangle((px, axes_top - h), slot, h, facecolor="#fdf0f0", edgecolor=COLORS["wrong"],
                                 linewidth=0.8))
        back.text(px + 0.08, axes_top - 0.08, wrap(panel.text, slot - 0.16, TEXT_SIZE), ha="left", va="top",
                  fontsize=TEXT_SIZE, color=COLORS["wrong"], linespacing=1.3)
    else:
        ax = fig.add_axes((ax_x / width, (axes_top - h) / height, w / width, h / height))
        if panel.kind == "bars":
            _bars(ax, panel)
        else:
            _heatmap(ax, panel, scale)
    if cell.verdict:
        back.text(px + 0.02, axes_top - h - cell.bottom - 0.06, cell.verdict, ha="left", va="top",
                  fontsize=TEXT_SIZE, linespacing=1.3,
                  color=COLORS["visited"] if panel.verdict[0] else COLORS["wrong"])


def gradient_panel(title: str, answer: np.ndarray | None, numeric: np.ndarray, ok: bool, verdict: str,
                   wrong: list[tuple[int, ...]]) -> Panel:
    """The student's gradient ``answer`` with the numeric one over it, the ``wrong`` entries outlined, its verdict
    under it; the verdict alone, in a red box, when the answer has not the numeric gradient's shape."""
    if answer is None or answer.shape != numeric.shape:
        return Panel(title, text="✗ " + verdict, shape=_("expected {shape}").format(shape=dimensions(numeric)))
    mask = np.zeros(answer.shape, bool)
    for c in wrong:
        mask[c] = True
    return Panel(title, answer, wrong=mask, numeric=numeric, shape=dimensions(answer),
                 verdict=(True, _("matches the numeric gradient")) if ok else (False, verdict))
