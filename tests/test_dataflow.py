"""course.dataflow (graphs declared by the student) and the GraphDrawing widget that draws them."""
from __future__ import annotations

import pytest

from course.dataflow import Graph, GraphError, canonical_function, canonical_variable, differences, parse_size
from course.widgets import GraphDrawing
from support.courses import ASSIGNMENTS, REPO

FC_NAMES = ["c", "g", "z", "FC", "x", "W", "b", "g~", "dc/dz", "FC~", "dc/dx", "dc/dW", "dc/db"]
SIZES = {"x": "1 x D", "W": "D x H", "b": "1 x H", "z": "1 x H", "c": "1 x 1", "dc/dz": "1 x H", "dc/dx": "1 x D",
         "dc/dW": "D x H", "dc/db": "1 x H"}


def fc(fc_tilde="FC~(dc/dz, x, W)", **sizes):
    return Graph(forward=["z = FC(x, W, b)", "c = g(z)"],
                 backward=["dc/dz = g~(z)", f"dc/dx, dc/dW, dc/db = {fc_tilde}"], sizes={**SIZES, **sizes})


@pytest.mark.parametrize("text, name", [("x^(1)", "x(1)"), ("x1", "x(1)"), ("W_3", "W(3)"), ("∂c/∂W", "dc/dW"),
                                        ("dc_dz", "dc/dz"), ("∂l/∂x^(3)", "dc/dx(3)"), ("dc/dc", "1")])
def test_variable_spellings(text, name):
    assert canonical_variable(text) == name


@pytest.mark.parametrize("text, name", [("FC̃", "FC~"), ("~FC", "FC~"), ("FC~3", "FC~(3)"), ("FC3~", "FC~(3)"),
                                        ("FC̃^(3)", "FC~(3)"), ("ReLŨ", "ReLU~"), ("l̃", "l~"), ("ReLU(2)", "ReLU(2)")])
def test_function_spellings(text, name):
    assert canonical_function(text) == name


def test_sizes_read_in_several_spellings_and_a_bad_one_says_what_to_write():
    assert parse_size("1 × D") == parse_size((1, "D")) == parse_size("1*D") == ("1", "D")
    with pytest.raises(GraphError, match="write it as '1 x D' or 'D x H'"):
        fc(W="D by H")


@pytest.mark.parametrize("kwargs, message", [
    (dict(forward=["z = FC x, W, b"]), "does not read 'outputs = function"),
    (dict(forward=["dc/dz = g~(z)"]), "put 'dc/dz = g~\\(z\\)' in backward"),
    (dict(backward=["z = FC(x, W, b)"]), "put 'z = FC\\(x, W, b\\)' in forward"),
    (dict(forward=["z = FC(x, W, b)"], sizes={"w": "D x H"}), "did you mean 'W'"),
    (dict(forward=["z = FC(x, W, b)", "z = g(x)"]), "comes out of two functions"),
    (dict(forward="z = FC(x, W, b)"), "lists of lines"),
    (dict(forward=["z = FC(x, W$)"]), "is not a variable's name"),
])
def test_typos_are_refused_with_what_to_write(kwargs, message):
    with pytest.raises(GraphError, match=message):
        Graph(**kwargs)


def test_the_reference_has_no_slip_and_no_difference_from_itself():
    assert fc().slips(FC_NAMES) == []
    assert differences(fc(), fc(), part="edges") == differences(fc(), fc(), part="sizes") == []


def test_slips_seen_without_the_answer():
    g = Graph(forward=["z = FC(x, W, b)", "c = g(z)", "q = FC2(dc/dz)"],
              backward=["dc/dz = g~(z)", "dc/dx, dc/dw = FC~(dc/dz, x, W)", "dc/dq = h~(q)"],
              sizes={"x": "1 x D", "dc/dx": "D x 1", "c": "1 x H"})
    text = "\n".join(m for m, _ in g.slips(FC_NAMES))
    for needle in ("the Travail names 'dc/dW'", "did you mean 'dc/dW'", "'W' has no size", "'c' is sized 1 × H",
                   "'dc/dx' is sized D × 1 but 'x' is 1 × D", "the edge dc/dz → FC(2) feeds a gradient",
                   "h~ has no forward function 'h'", "'dc/db'"):
        assert needle in text, (needle, text)


@pytest.mark.parametrize("graph, part, message", [
    (fc("FC~(dc/dz, x, W, b)"), "edges", "the edge b → FC~ should not be there"),
    (fc("FC~(dc/dz, W)"), "edges", "the edge x → FC~ is missing"),
    (fc(**{"dc/dW": "H x D"}), "sizes", "'dc/dW' is sized H × D; the text gives D × H"),
])
def test_differences_name_the_wrong_edge_or_size(graph, part, message):
    assert any(message in m for m in differences(graph, fc(), part=part))


def test_options_accept_other_names_and_optional_or_alternative_inputs():
    reference = Graph(forward=["z = ReLU(x)", "c = g(z)"], backward=["dc/dz = g~(z)", "dc/dx = ReLU~(dc/dz, x)"])
    other = Graph(forward=["z = ReLU(x)", "c = g(z)"], backward=["dc/dz = g~(1, z)", "dc/dx = ReLU~(dc/dz, z)"])
    assert differences(other, reference) != []
    assert differences(other, reference, optional_inputs={"g~": ["1"]}, alternative_inputs={"ReLU~": {"x": "z"}}) == []
    renamed = Graph(forward=["s = f(x)"], backward=["dc/dx = f~(dc/ds)"])
    target = Graph(forward=["x(3) = f(x)"], backward=["dc/dx = f~(dc/dx(3))"])
    assert differences(renamed, target, aliases={"s": "x(3)"}) == []


def test_an_answer_that_is_not_a_graph_is_told_so():
    assert "must be a Graph" in differences({"z": "FC(x)"}, fc())[0]


def test_widget_draws_with_its_css_classes_and_lists_the_slips():
    widget = GraphDrawing(fc(**{"dc/dW": "H x D"}), names=FC_NAMES)
    assert "dataflow-graph" in widget._dom_classes
    assert "dataflow-graph-figure" in widget.image._dom_classes and widget.image.value[:4] == b"\x89PNG"
    state = widget.state()
    assert ("x", "FC") in state["edges"] and state["sizes"]["W"] == "D × H"
    assert any("'dc/dW' is sized H × D" in s for s in state["slips"])
    assert state["positions"]["FC~"][1] < state["positions"]["FC"][1]        # the backward pass is drawn under
    assert state["positions"]["dc/dW"][0] < state["positions"]["W"][0] + 1   # each gradient under its variable
    assert GraphDrawing(fc(), names=FC_NAMES)._message_text().startswith("✓")


GRAPH_EXERCISES = [(a, cell.id) for a in ASSIGNMENTS if a.root == REPO for cell in a.source().cells
                   if cell.id.startswith("graph-") and cell.id.endswith("-check")]


@pytest.mark.parametrize("assignment, check_id", GRAPH_EXERCISES, ids=[f"{a.name}/{c}" for a, c in GRAPH_EXERCISES])
def test_each_reference_graph_passes_its_own_self_check(assignment, check_id):
    """The solution of each graph exercise, drawn by the notebook's self-check, shows no slip: the names the check
    asks for are those of the reference, in the spellings it accepts."""
    nb = assignment.source()
    ids = [c.id for c in nb.cells]
    answer, check = nb.cells[ids.index(check_id) - 1], nb.cells[ids.index(check_id)]
    namespace: dict = {}
    exec(answer.source, namespace)                     # the reference declaration (solution block included)
    *setup, last = check.source.strip().splitlines()
    exec("\n".join(setup), namespace)
    widget = eval(last, namespace)
    assert widget._message_text().startswith("✓"), widget._message_text()


def test_any_graph_a_student_can_declare_is_drawn_and_compared():
    """Random declarations (gradients into forward functions, cycles, functions without their forward one, missing
    sizes, no backward pass at all): each is refused with a GraphError, or drawn and compared without an error."""
    import random
    rng = random.Random(0)
    names = ["x", "W", "b", "z", "c", "dc/dz", "dc/dx", "dc/dW", "dc/db", "1", "y", "s", "q"]

    def line(functions):
        outputs, inputs = rng.sample(names, rng.randint(1, 3)), rng.sample(names, rng.randint(1, 3))
        return f"{', '.join(outputs)} = {rng.choice(functions)}({', '.join(inputs)})"

    drawn = 0
    for _ in range(120):
        forward = [line(["FC", "g", "ReLU", "h"]) for _ in range(rng.randint(0, 4))]
        backward = [line(["FC~", "g~", "ReLU~", "k~"]) for _ in range(rng.randint(0, 4))]
        try:
            used = Graph(forward=forward, backward=backward).variables
            graph = Graph(forward=forward, backward=backward,
                          sizes={v: rng.choice(["1 x D", "D x H"]) for v in used if rng.random() < 0.7})
        except GraphError:
            continue
        GraphDrawing(graph, names=FC_NAMES)
        differences(graph, fc(), part="edges")
        differences(graph, fc(), part="sizes")
        drawn += 1
    assert drawn > 10
