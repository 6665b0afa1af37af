"""The canvas every widget draws on: a matplotlib figure measured in inches, rendered to PNG with Agg.

Positions are in inches (the axes span the whole figure), so fonts and boxes keep their proportions whatever the
size of the picture. The figure never goes through pyplot: nothing accumulates in a notebook that redraws often.
"""
from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def inch_canvas(width: float, height: float, dpi: float = 100, x0: float = 0.0) -> tuple[Figure, Axes]:
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
