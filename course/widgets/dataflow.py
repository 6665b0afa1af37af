"""``GraphDrawing``: the computational graph a student declared with ``course.dataflow.Graph``, drawn (02-05).

The forward pass is drawn on top, left to right, as the document's figure (« Propagation avant ("Forward") »); the
backward pass under it, right to left, each backward function f̃ under its forward function f and each gradient
∂c/∂v under its variable v, so that what a backward function receives from the forward pass comes straight down.
Variables are boxes with their size under them, functions are round; the main chain of each function (its first
input and its output) stays on one row, its other inputs (W, b, y) are stacked above it, their gradients below.
Under the picture, the slips ``Graph.slips`` finds (without knowing the answer), in red, and the nodes they
concern outlined in red.

    from course.widgets import GraphDrawing
    GraphDrawing(fc_graph, names=["c", "g", "z", "FC", ...])     # the names the Travail asks for
"""
from __future__ import annotations

from typing import Iterable

from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch

from course.dataflow import COST, ONE, Graph, forward_of, gradient_of, label, show_size
from course.i18n import _
from course.widgets.base import GradientWidget
from course.widgets.drawing import COLORS, inch_canvas, wrap, write_heading

__all__ = ["GraphDrawing"]

COLUMN = 1.05            # inches from one column to the next
ROW = 0.78               # from one row to the next in a band
BOX_W, BOX_H = 0.78, 0.36
FUNC_W, FUNC_H = 0.80, 0.42
LABEL_H = 0.17           # the size written under a variable's box
BAND_GAP = 0.75          # between the lowest forward row and the highest backward row
MARGIN = 0.45
TOP = 0.75               # room for the title
FILL = {"forward": COLORS["var"], "param": COLORS["input_fill"], "gradient": "#fdeede", "function": COLORS["op"],
        "backward": COLORS["selected_fill"]}


class GraphDrawing(GradientWidget):
    """The drawing of ``graph`` with, under it, the slips it has (``names``: the nodes the Travail asks for, "x|x(0)"
    for either spelling; ``optional``: nodes that may be there or not)."""

    css = "dataflow-graph"

    def __init__(self, graph: Graph, names: Iterable[str] = (), optional: Iterable[str] = ()):
        if not isinstance(graph, Graph):
            raise TypeError(_("GraphDrawing draws a course.dataflow.Graph, got {kind}").format(
                kind=type(graph).__name__))
        self.graph = graph
        self.names, self.optional = list(names), list(optional)
        self.image = self._make_image()
        self.message = self._make_message()
        self._open([self._scrolling(self.image), self.message])
        self._show()

    # --- what is shown ----------------------------------------------------------------------------------------
    def state(self) -> dict:
        return {"nodes": sorted(self.graph.nodes), "edges": sorted(self.graph.edges()),
                "sizes": {v: show_size(s) for v, s in self.graph.sizes.items()},
                "positions": {n: tuple(round(c, 2) for c in p) for n, p in self._positions().items()},
                "slips": [text for text, _ in self.graph.slips(self.names, self.optional)]}

    def _lines(self) -> list[tuple[bool, str]]:
        slips = self.graph.slips(self.names, self.optional)
        if not slips:
            if self.names:
                return [(True, _("every node of the Travail is there, every variable has a size and no slip shows: "
                                 "the graded test checks each edge and each size"))]
            return [(True, _("every variable has a size and no slip shows: the graded test checks each edge and each "
                             "size"))]
        return [(False, text) for text, _ in slips]

    # --- layout ---------------------------------------------------------------------------------------------
    def _columns(self) -> dict[str, int]:
        """The column of each node of the forward pass: the longest path from an input, and each input just
        before the first function that uses it."""
        g = self.graph
        forward = [f for f in g.functions.values() if not f.backward]
        column: dict[str, int] = {}
        for _sweep in range(len(g.functions) + len(g.variables) + 1):           # longest paths, without recursion
            changed = False
            for f in forward:
                c = max((column.get(v, 0) for v in f.inputs), default=0) + 1
                if column.get(f.name, -1) < c:
                    column[f.name], changed = c, True
                for v in f.outputs:
                    if column.get(v, -1) < c + 1:
                        column[v], changed = c + 1, True
            if not changed:
                break
        for f in forward:
            for v in f.inputs:
                if g.producer(v) is None or g.functions[g.producer(v)].backward:
                    users = [column[h] for h in g.consumers(v) if h in column]
                    column[v] = min(users) - 1
        if column:
            low = min(column.values())
            column = {n: c - low for n, c in column.items()}
        return column

    def _positions(self) -> dict[str, tuple[float, float]]:
        """(x, y) in inches of every node; forward rows go up from the main row, backward rows go down."""
        g = self.graph
        column = self._columns()
        row: dict[str, int] = {}
        for f in g.functions.values():
            if f.backward:
                continue
            row.setdefault(f.name, 0)
            for v in f.outputs:
                row.setdefault(v, 0)
            for i, v in enumerate(f.inputs):
                row.setdefault(v, i)
        back_column: dict[str, float] = {}
        back_row: dict[str, int] = {}
        spare = max(column.values(), default=-1) + 1
        for f in g.functions.values():
            if not f.backward:
                continue
            if forward_of(f.name) in column:    # the backward band is half a column left of the forward one: what
                back_column[f.name] = column[forward_of(f.name)] - 0.5   # comes down passes between two nodes
            else:
                back_column[f.name], spare = spare, spare + 1
            back_row[f.name] = 0
        for v in g.variables:
            of = gradient_of(v)
            if v in column or of is None:
                continue
            if of in column:
                back_column[v], back_row[v] = column[of] - 0.5, row.get(of, 0)
            else:
                producer = g.producer(v)
                back_column[v] = back_column.get(producer, spare) - 1 if producer else spare
                back_row[v] = 0
        for v in g.variables:                       # a variable that is neither forward nor a gradient: a slip
            if v not in column and v not in back_column:
                back_column[v], back_row[v], spare = spare, 0, spare + 1
        self._untangle(column, row)
        self._untangle(back_column, back_row)
        forward_rows = max(row.values(), default=0) + 1
        self._band_rows = (forward_rows, max(back_row.values(), default=0) + 1)
        main_forward = MARGIN + (max(back_row.values(), default=0) + 0.5) * ROW + BAND_GAP + 0.5 * ROW
        main_backward = main_forward - BAND_GAP - ROW
        self._main_forward = main_forward
        low = min(list(column.values()) + list(back_column.values()), default=0)
        pos = {n: (MARGIN + 0.45 + (c - low) * COLUMN, main_forward + row[n] * ROW) for n, c in column.items()}
        pos.update({n: (MARGIN + 0.45 + (c - low) * COLUMN, main_backward - back_row[n] * ROW)
                    for n, c in back_column.items()})
        return pos

    @staticmethod
    def _untangle(column: dict[str, float], row: dict[str, int]) -> None:
        """Move up (the next free row) any node that would be drawn over another one."""
        taken: set[tuple[float, int]] = set()
        for n in sorted(column, key=lambda n: (row.get(n, 0), n)):
            r = row.get(n, 0)
            while (column[n], r) in taken:
                r += 1
            row[n] = r
            taken.add((column[n], r))

    # --- drawing ---------------------------------------------------------------------------------------------
    def draw(self) -> Figure | None:
        g = self.graph
        if not g.functions:
            return None
        pos = self._positions()
        wrong = {n for _, nodes in g.slips(self.names, self.optional) for n in nodes}
        width = max(max(x for x, _ in pos.values()) + MARGIN + 0.55, 6.0)
        note = wrap(_("top: forward (« propagation avant »), left to right; bottom: backward (« rétropropagation »), "
                      "right to left, each ∂c/∂v under its v. Boxes: variables with their size; rounds: functions."),
                    width - 0.4, 7.5)
        height = max(y for _, y in pos.values()) + TOP + 0.16 * note.count("\n")
        fig, ax = inch_canvas(width, height)
        write_heading(ax, 0.15, height - 0.12, g.title or _("Computational graph"), note)
        forward_y = [y for n, (_, y) in pos.items() if self._is_forward(n)]
        backward_y = [y for n, (_, y) in pos.items() if not self._is_forward(n)]
        middle = (min(forward_y) + max(backward_y)) / 2 if forward_y and backward_y else None
        if middle is not None:
            ax.plot([0.15, width - 0.15], [middle, middle], color="#cccccc", linewidth=0.8,
                    linestyle=(0, (4, 4)), zorder=1)
            ax.text(0.15, middle + 0.06, _("forward"), fontsize=7.5, color="#777777", va="bottom")
            ax.text(0.15, middle - 0.06, _("backward"), fontsize=7.5, color="#777777", va="top")
        for a, b in sorted(g.edges()):
            self._arrow(ax, pos, a, b, wrong={a, b} <= wrong)
        for name, (x, y) in pos.items():
            edge = COLORS["wrong"] if name in wrong else "#555555"
            lw = 1.6 if name in wrong else 0.9
            if name in g.functions:
                fill = FILL["backward"] if g.functions[name].backward else FILL["function"]
                ax.add_artist(Ellipse((x, y), FUNC_W, FUNC_H, facecolor=fill, edgecolor=edge, linewidth=lw, zorder=3))
                ax.text(x, y, label(name, function=True), ha="center", va="center", fontsize=10, zorder=4)
                continue
            kind = ("gradient" if gradient_of(name) is not None
                    else "param" if g.producer(name) is None and name not in (COST,) else "forward")
            ax.add_artist(FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H,
                                         boxstyle="round,pad=0,rounding_size=0.06", facecolor=FILL[kind],
                                         edgecolor=edge, linewidth=lw, zorder=3))
            ax.text(x, y, label(name), ha="center", va="center", fontsize=10, zorder=4)
            size = g.sizes.get(name)
            ax.text(x, y - BOX_H / 2 - 0.03, show_size(size) if size else _("size ?"), ha="center", va="top",
                    fontsize=7.5, color=COLORS["wrong"] if size is None else "#444444", zorder=4,
                    bbox=dict(boxstyle="square,pad=0.03", facecolor="white", edgecolor="none", alpha=0.85))
        return fig

    def _is_forward(self, name: str) -> bool:
        g = self.graph
        if name in g.functions:
            return not g.functions[name].backward
        return gradient_of(name) is None and name != ONE

    def _arrow(self, ax, pos, a: str, b: str, *, wrong: bool) -> None:
        """An edge: straight, except from a variable stacked above its row (W, b, y) down to a backward function:
        that one leaves it to the right, then goes straight down between the nodes of the forward row."""
        (xa, ya), (xb, yb) = pos[a], pos[b]
        crossing = self._is_forward(a) != self._is_forward(b)
        color = COLORS["wrong"] if wrong else (COLORS["flow"] if not self._is_forward(b) else "#666666")
        style = dict(arrowstyle="-|>", mutation_scale=10, color=color, linewidth=1.5 if wrong else 0.9, zorder=2,
                     shrinkA=1, shrinkB=1, linestyle="--" if crossing else "-")
        if crossing and ya > self._main_forward + 1e-6 and xb > xa + BOX_W / 2:
            shift = 0.1 * (round((ya - self._main_forward) / ROW) - 1)       # two such drops side by side
            ax.add_artist(FancyArrowPatch((xa + BOX_W / 2, ya), (xb + shift, yb + FUNC_H / 2 - abs(shift) / 3),
                                          connectionstyle="angle,angleA=0,angleB=90,rad=6", **style))
            return
        start = self._border(a, (xa, ya), (xb, yb))
        if crossing and a not in self.graph.functions and yb < ya - BOX_H:   # leave from under its size
            start = (start[0] + (xb - xa) * LABEL_H / max(ya - yb, 1e-6), start[1] - LABEL_H)
        ax.add_artist(FancyArrowPatch(start, self._border(b, (xb, yb), (xa, ya)), connectionstyle="arc3,rad=0",
                                      **style))

    def _border(self, node: str, at: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
        """Where the segment from the node's centre toward ``toward`` leaves its box or its ellipse."""
        (x, y), (tx, ty) = at, toward
        dx, dy = tx - x, ty - y
        if dx == 0 and dy == 0:
            return at
        if node in self.graph.functions:
            a, b = FUNC_W / 2, FUNC_H / 2
            t = 1 / ((dx / a) ** 2 + (dy / b) ** 2) ** 0.5
        else:
            t = min(BOX_W / 2 / abs(dx) if dx else float("inf"), BOX_H / 2 / abs(dy) if dy else float("inf"))
        return x + dx * t, y + dy * t

