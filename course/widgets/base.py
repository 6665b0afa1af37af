"""``GradientWidget``: what every widget of the course is made of.

A widget is an ipywidgets box with its controls, one or more pictures (``image``: a PNG drawn by ``draw()`` with
matplotlib) and a ``message`` (HTML) that says, in plain words, what the student's functions did: errors first
(a function that raised or returned something unusable), then one ✓ or ✗ line per verdict. ``state()`` returns
what is shown as plain data, for the notebook's checks and the tests. The CSS classes (``<css>-figure``,
``<css>-message``, ...) are what the browser tests look for.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from course.i18n import _
from course.widgets.drawing import COLORS, png

__all__ = ["GradientWidget", "message_html"]


def message_html(errors: list[str], lines: list[tuple[bool, str]]) -> str:
    """The message under a picture: each error in red with a bar on its left, then the ✓ (green) and ✗ (red)
    lines."""
    parts = []
    for text in errors:
        parts.append(f'<div style="color:{COLORS["wrong"]};border-left:3px solid {COLORS["wrong"]};'
                     f'padding-left:6px;margin-bottom:4px">{html.escape(text)}</div>')
    for ok, text in lines:
        color = COLORS["visited"] if ok else COLORS["wrong"]
        parts.append(f'<div style="color:{color};margin-bottom:2px">{"✓" if ok else "✗"} {html.escape(text)}</div>')
    return f"<div style='font-size:13px;line-height:1.45'>{''.join(parts)}</div>"


class GradientWidget(widgets.VBox):
    """The base of the widgets: ``image`` and ``message`` made with their CSS classes, and the way they are
    refreshed. A widget sets ``css`` (the prefix of its CSS classes) and defines ``state()``, ``draw()``,
    ``_errors_shown()`` (the plain messages) and ``_lines()`` (the verdicts, ``(ok, text)``)."""

    css = "gradient-widget"

    def _open(self, children: list) -> None:
        """Build the box with its rows of children, marked with the widget's CSS class."""
        super().__init__(children)
        self.add_class(self.css)

    def _make_image(self, suffix: str = "figure") -> widgets.Image:
        image = widgets.Image(format="png")
        image.add_class(f"{self.css}-{suffix}")
        return image

    def _make_message(self) -> widgets.HTML:
        message = widgets.HTML(layout=widgets.Layout(max_width="1000px"))
        message.add_class(f"{self.css}-message")
        return message

    def _make_steps(self, before: str, after: str) -> None:
        """``prev_button`` and ``next_button``, which move the selection by one step (``self._move(±1)``); the
        tooltips say where each goes."""
        self.prev_button = widgets.Button(description=_("◀ Previous"), tooltip=before,
                                          layout=widgets.Layout(width="auto"))
        self.next_button = widgets.Button(description=_("Next ▶"), tooltip=after, layout=widgets.Layout(width="auto"))
        self.prev_button.add_class(f"{self.css}-prev")
        self.next_button.add_class(f"{self.css}-next")
        self.prev_button.on_click(lambda _: self._move(-1))
        self.next_button.on_click(lambda _: self._move(+1))

    def _make_new_sample_button(self, tooltip: str) -> widgets.Button:
        """The **New sample** button, which calls ``self.new_sample()``."""
        button = widgets.Button(description=_("New sample"), icon="refresh", tooltip=tooltip,
                                layout=widgets.Layout(width="auto"))
        button.add_class(f"{self.css}-new-sample")
        button.on_click(lambda _: self.new_sample())
        return button

    @staticmethod
    def _scrolling(image: widgets.Image, **layout) -> widgets.Box:
        """The picture in a box that scrolls when it is wider than the notebook."""
        return widgets.Box([image], layout=widgets.Layout(overflow="auto", max_width="100%", **layout))

    # --- what subclasses define ------------------------------------------------------------------------------
    def state(self) -> dict:
        """What the widget shows, as plain data."""
        raise NotImplementedError

    def draw(self) -> Figure | None:
        """The matplotlib figure shown (a new one each time, not attached to pyplot); None when there is nothing
        to draw."""
        raise NotImplementedError

    def _errors_shown(self) -> list[str]:
        return []

    def _lines(self) -> list[tuple[bool, str]]:
        return []

    # --- what is shown --------------------------------------------------------------------------------------
    def _message_text(self) -> str:
        """The message as plain text: the errors, then the verdicts with their ✓ or ✗."""
        return "\n".join(self._errors_shown() + [("✓ " if ok else "✗ ") + t for ok, t in self._lines()])

    def _show_message(self) -> None:
        self.message.value = message_html(self._errors_shown(), self._lines())

    @staticmethod
    def _show_figure(image: widgets.Image, figure: Figure | None) -> None:
        """The figure's PNG in ``image``; no figure hides the picture."""
        if figure is None:
            image.layout.display = "none"
            image.value = b""
        else:
            image.layout.display = None
            image.value = png(figure)

    def _show(self) -> None:
        self._show_message()
        self._show_figure(self.image, self.draw())
