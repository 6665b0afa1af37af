"""How every widget draws: a matplotlib canvas measured in inches, its text and numbers, its colours, its PNG.

Positions are in inches (the axes span the whole figure), so fonts and boxes keep their proportions whatever the
size of the picture. The figure never goes through pyplot: nothing accumulates in a notebook that redraws often.
Text is measured by the renderer that draws it (``measure``), and long text is broken with ``wrap``, the one
line-breaking rule of the widgets.
"""
from __future__ import annotations

import functools
import io
import math

from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

__all__ = ["COLORS", "DPI", "fmt", "short", "inch_canvas", "write_heading", "measure", "text_width", "wrap", "png"]

DPI = 100                # pixels per inch of every PNG: 10.2 in fit a notebook 1000 px wide

COLORS = {
    "edge": "#9a9a9a", "selected": "#e07b00", "flow": "#1f5fbf", "wrong": "#d62728", "visited": "#2e7d32",
    "var": "#e3f2e1", "const": "#eeeeee", "op": "#ffffff", "selected_fill": "#fff1d6", "input_fill": "#e4edfb",
}


# --- numbers -------------------------------------------------------------------------------------------------
def fmt(x: float | None) -> str:
    """A number with 4 significant digits, as a student reads it: 6, 0.3775, -1.25e-05; "?" when unknown."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    if x == 0:
        return "0"
    return f"{x:.4g}"


def short(value: float) -> str:
    """A value written in a cell or over a bar: 3 significant digits."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.3g}"
    return "0" if text in ("0", "-0") else text


# --- the canvas ------------------------------------------------------------------------------------------------
def inch_canvas(width: float, height: float, dpi: float = DPI, x0: float = 0.0) -> tuple[Figure, Axes]:
    """A ``width`` x ``height`` inch figure and one invisible axes over all of it, x from ``x0`` to
    ``x0 + width``, y from 0 (bottom) to ``height`` (top)."""
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0, x0 + width)
    ax.set_ylim(0, height)
    ax.axis("off")
    return fig, ax


def write_heading(ax: Axes, x: float, top: float, title: str, note: str = "", *, note_gap: float = 0.26,
                  note_size: float = 7.5, linespacing: float = 1.3) -> None:
    """The bold title of a picture at (x, top), and under it, ``note_gap`` lower, its note in small grey."""
    ax.text(x, top, title, ha="left", va="top", fontsize=10, fontweight="bold")
    if note:
        ax.text(x, top - note_gap, note, ha="left", va="top", fontsize=note_size, color="#555555",
                linespacing=linespacing)


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes, at its own DPI; the figure is cleared (not attached to pyplot, nothing else keeps
    it alive)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    fig.clear()
    return buffer.getvalue()


# --- text ------------------------------------------------------------------------------------------------------
_PROBE = Figure(dpi=DPI)                 # a renderer to measure text with, at the DPI of the pictures
FigureCanvasAgg(_PROBE)


def measure(text: str, size: float, weight: str = "normal", linespacing: float = 1.2) -> tuple[float, float]:
    """Width and height, in inches, of ``text`` (one or more lines) as the renderer draws it."""
    lines = text.split("\n")
    fonts = tuple(str(rcParams[k]) for k in _FONT_SETTINGS)
    width = max(_line_width(line, size, weight, fonts) for line in lines)
    return width / _PROBE.dpi, size / 72 * (1 + linespacing * (len(lines) - 1)) * 1.17


# The settings a line's width depends on besides its text, size and weight: part of the cache's key, so that a
# notebook that changes its fonts gets widths of the new ones.
_FONT_SETTINGS = ("font.family", "font.sans-serif", "font.serif", "font.monospace", "font.stretch", "text.hinting",
                  "text.hinting_factor", "text.kerning_factor")


@functools.lru_cache(maxsize=8192)
def _line_width(line: str, size: float, weight: str, fonts: tuple) -> float:
    """Width in pixels of one line (``fonts``: the values of ``_FONT_SETTINGS``). Cached: laying out a line costs
    tens of microseconds a character with matplotlib's FreeType text, and a widget measures the same labels each time
    it draws (a new sample, the next layer) and the growing lines of ``wrap`` again and again."""
    renderer = _PROBE.canvas.get_renderer()
    return renderer.get_text_width_height_descent(line, FontProperties(size=size, weight=weight), ismath=False)[0]


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width in inches of the longest line of ``text``."""
    return measure(text, size, weight)[0]


def wrap(text: str, width: float, size: float, separator: str = " ", weight: str = "normal") -> str:
    """``text`` broken into lines that fit ``width`` inches at ``size`` points: each line of it filled with as many
    pieces (the parts between two ``separator``: words by default, or the items of a legend " · ") as fit; a piece
    wider than a whole line is cut between its characters."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in paragraph.split(separator):
            candidate = f"{line}{separator}{piece}" if line else piece
            if line and text_width(candidate, size, weight) > width:
                lines.append(line)
                candidate = piece
            while len(candidate) > 1 and text_width(candidate, size, weight) > width:
                cut = _longest_fitting(candidate, width, size, weight)
                lines.append(candidate[:cut])
                candidate = candidate[cut:]
            line = candidate
        lines.append(line or " ")
    return "\n".join(lines)


def _longest_fitting(text: str, width: float, size: float, weight: str) -> int:
    """How many first characters of ``text`` fit ``width`` (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle], size, weight) <= width:
            low = middle
        else:
            high = middle - 1
    return low
