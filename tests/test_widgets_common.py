"""What every widget of course.widgets must respect, checked without a browser."""
from __future__ import annotations

import ast
from pathlib import Path

import ipywidgets

import course.widgets

WIDGETS = Path(course.widgets.__file__).parent
# Traits of an ipywidgets box that a widget sets on purpose; any other one assigned by accident breaks the
# widget in the browser only (StackGradients once set self._model_name, the name of its JavaScript model).
ALLOWED = {"children", "layout"}


def test_no_widget_overwrites_an_ipywidgets_trait():
    traits = set(ipywidgets.VBox().trait_names()) - ALLOWED
    found = []
    for path in sorted(WIDGETS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                    and isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr in traits:
                found.append(f"{path.name}:{node.lineno} self.{node.attr}")
    assert not found, "assignments to ipywidgets traits: " + ", ".join(found)


def test_every_widget_is_exported_and_documented():
    exported = [name for name in dir(course.widgets)
                if isinstance(getattr(course.widgets, name), type)
                and issubclass(getattr(course.widgets, name), ipywidgets.DOMWidget)]
    assert sorted(exported) == sorted(course.widgets.__all__)
    for name in exported:
        assert f"``{name}``" in course.widgets.__doc__, f"{name} is not described in course/widgets/__init__.py"
