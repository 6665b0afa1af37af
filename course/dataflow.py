"""Computational graphs of document 003, declared by the student: variables, forward and backward functions, sizes.

Document 003 asks, again and again, « Travail : dessiner le graphe de calcul ... en faisant apparaître c, g, z, FC,
x, W, b, g̃, ∂c/∂z, FC̃, ∂c/∂x, ∂c/∂W et ∂c/∂b ». A student writes such a graph as the equations it stands for, one
line per function, in the notation of 003 eq. 8 (∂a/∂x = f̃(∂a/∂z, x)), and the size of every variable::

    from course.dataflow import Graph

    tanh_graph = Graph(
        forward=["h = tanh(u)"],
        backward=["dc/du = tanh~(dc/dh, h)"],
        sizes={"u": "1 x K", "h": "1 x K", "dc/dh": "1 x K", "dc/du": "1 x K"},
    )

The nodes are the variables (``u``, ``h``, ``dc/du``: the gradients of the cost ``c`` are written ``dc/dv`` or
``∂c/∂v``) and the functions (``tanh``; a backward function carries a tilde, ``tanh~`` or ``tanh̃``); the edges
go from each input to its function and from the function to each output. Spellings a student may use are read
the same way (``x^(1)``, ``x(1)`` and ``x1``; ``∂c/∂W`` and ``dc_dW``; ``FC~``, ``FC̃`` and ``~FC``; ``1 x D``,
``1 × D`` and ``(1, "D")``); anything else is refused at once with what to write instead.

``Graph.slips(names)`` names the slips any graph can be checked for without knowing the answer (a node of the
Travail missing, a variable without a size, a gradient sized unlike its variable, a gradient flowing into the
forward pass ...): the notebook's self-check shows them. ``differences(graph, reference, ...)`` compares a graph
with another one, edge by edge and size by size: the hidden tests hold the reference, this module holds none.
``course.widgets.GraphDrawing`` draws a graph.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Iterable, Mapping, NamedTuple

from course.i18n import _, separated

__all__ = ["Graph", "GraphError", "Function", "canonical_variable", "canonical_function", "parse_size",
           "differences", "assert_graph", "is_gradient", "gradient_of", "label"]

COST = "c"                     # the scalar the gradients are taken of (document 003 eq. 11: c = g(z))
ONE = "1"                      # ∂c/∂c = 1, which the backward pass may start from (document 003 §2: l̃(1, s))

_INDEX = r"\(\d+\)"
_VARIABLE = re.compile(rf"^(?:1|[A-Za-z]+(?:{_INDEX})?|d{COST}/d[A-Za-z]+(?:{_INDEX})?)$")
_FUNCTION = re.compile(rf"^[A-Za-z]+~?(?:{_INDEX})?$")
_LINE = re.compile(r"^\s*(?P<outputs>[^=]+?)\s*=\s*(?P<function>[^\s()=,]+(?:\^?\(\d+\))?)\s*\((?P<inputs>.*)\)\s*$")
_SIZE_SEPARATOR = re.compile(r"\s*(?:x|×|\*|,)\s*")
_DIMENSION = re.compile(r"^(?:\d+|[A-Za-z][A-Za-z0-9_]*)$")



def _example_line() -> str:
    return _("'h = tanh(u)' or 'dc/du = tanh~(dc/dh, h)'")


def _example_size() -> str:
    return _("'1 x D' or 'D x H' (rows x columns)")


class GraphError(ValueError):
    """A declaration that cannot be read: the message says what to write instead."""


class Function(NamedTuple):
    """One line of the graph: ``outputs = name(inputs)``."""
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    backward: bool


# --- names -----------------------------------------------------------------------------------------------------
def _plain(text: str) -> str:
    """The text without spaces, carets and "∂" (read as d), its accents apart (NFD: Ũ is U and a tilde)."""
    text = unicodedata.normalize("NFD", str(text)).strip()
    return text.replace(" ", "").replace("∂", "d").replace("^", "").replace("_(", "(")


def _with_index(name: str) -> str:
    """'x1' and 'x_1' -> 'x(1)' (the superscript (i) of document 003); other names unchanged."""
    match = re.fullmatch(r"([A-Za-z]+)_?(\d+)", name)
    return f"{match[1]}({match[2]})" if match else name


def canonical_variable(text: str) -> str:
    """The one spelling of a variable: 'x^(1)' -> 'x(1)', '∂c/∂W' -> 'dc/dW', 'dl/dx3' -> 'dc/dx(3)' (the cost
    is called c), 'dc/dc' -> '1'. Raises GraphError for what cannot be a variable's name."""
    name = _plain(text)
    gradient = re.fullmatch(r"d([cl])[/_]?d(.+)", name)
    if gradient and not re.fullmatch(r"[A-Za-z]+", name):
        inner = _with_index(gradient[2])
        name = ONE if inner in (COST, "l") else f"d{COST}/d{inner}"
    else:
        name = _with_index(name)
    if not _VARIABLE.match(name):
        raise GraphError(_("{text!r} is not a variable's name: write a letter with an optional index, like 'x', "
                           "'W(3)' or 'x(1)' (for x^(1)), or a gradient of the cost, like 'dc/dz' or "
                           "'∂c/∂W(3)'").format(text=str(text)))
    return name


def canonical_function(text: str) -> str:
    """The one spelling of a function: 'FC̃' and '~FC' -> 'FC~', 'FC~3', 'FC3~' and 'FC^(3)~' -> 'FC~(3)'."""
    name = _plain(text).replace("\u0303", "~")
    backward = "~" in name
    name = name.replace("~", "")
    if name.lower().endswith("tilde"):
        backward, name = True, name[:-5].rstrip("_")
    match = re.fullmatch(r"([A-Za-z]+)(?:\((\d+)\)|_?(\d+))?", name)
    if not match:
        raise GraphError(_("{text!r} is not a function's name: write letters with an optional index, like 'FC', "
                           "'ReLU', 'FC(3)', and a tilde for a backward function: 'FC~', 'FC~(3)'").format(
                               text=str(text)))
    index = match[2] or match[3]
    name = match[1] + ("~" if backward else "") + (f"({index})" if index else "")
    assert _FUNCTION.match(name)
    return name


def is_gradient(name: str) -> bool:
    return name.startswith(f"d{COST}/d") or name == ONE


def gradient_of(name: str) -> str | None:
    """'dc/dW' -> 'W'; '1' (∂c/∂c) -> 'c'; None for a variable that is not a gradient."""
    if name == ONE:
        return COST
    return name[len(f"d{COST}/d"):] if name.startswith(f"d{COST}/d") else None


def forward_of(function: str) -> str:
    """'FC~(3)' -> 'FC(3)'."""
    return function.replace("~", "")


def parse_size(value) -> tuple[str, str]:
    """'1 x D', '1 × D', 'D*H', (1, 'D') -> ('1', 'D'). Raises GraphError for anything else."""
    if isinstance(value, (tuple, list)):
        parts = [str(p).strip() for p in value]
    else:
        parts = _SIZE_SEPARATOR.split(str(value).strip().strip("()"))
    if len(parts) != 2 or not all(_DIMENSION.match(p) for p in parts):
        raise GraphError(_("size {value!r} does not read rows x columns: write it as {example}, with numbers or "
                           "the notebook's symbols (D, H, C, N)").format(value=value, example=_example_size()))
    return parts[0], parts[1]


def show_size(size: tuple[str, str] | None) -> str:
    return "?" if size is None else f"{size[0]} × {size[1]}"


def label(name: str, *, function: bool = False) -> str:
    """The name in the document's notation, as matplotlib mathtext: 'dc/dW(3)' -> ∂c/∂W⁽³⁾, 'FC~' -> FC with a
    wide tilde."""
    match = re.fullmatch(r"(.*?)(?:\((\d+)\))?", name)
    base, index = match[1], match[2]
    sup = f"^{{({index})}}" if index else ""
    if function:
        backward = base.endswith("~")
        base = base.rstrip("~")
        body = rf"\mathrm{{{base}}}" if len(base) > 1 else base
        if backward:
            body = (rf"\widetilde{{{body}}}" if len(base) > 1 else rf"\tilde{{{body}}}")
        return f"${body}{sup}$"
    inner = gradient_of(name)
    if inner is not None and name != ONE:
        letter = re.sub(r"\(\d+\)$", "", inner)
        return rf"$\partial {COST}/\partial {_symbol(letter)}{sup}$"
    return f"${_symbol(base)}{sup}$" if base != ONE else "$1$"


def _symbol(letter: str) -> str:
    """Vectors and matrices bold (x, W, b, z, s, X ...), scalars plain (c, y, l), as document 003 prints them."""
    return letter if letter in (COST, "y", "l") else rf"\mathbf{{{letter}}}"


def _suggest(name: str, known: Iterable[str]) -> str:
    known = sorted(set(known))
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    lowered = [k for k in known if k.lower() == name.lower()]
    best = lowered[:1] or close
    # TRANSLATORS: added after a name that is not known, with a space before it.
    return " " + _("(did you mean {name!r}?)").format(name=best[0]) if best else ""


# --- the graph ------------------------------------------------------------------------------------------------
class Graph:
    """A computational graph declared line by line (see the module's docstring).

    forward: lines ``outputs = function(inputs)`` of the forward pass (functions without a tilde);
    backward: lines of the backward pass (functions with a tilde, e.g. ``dc/dx = FC~(dc/dz, x, W)``);
    sizes: the size of each variable, ``{"x": "1 x D", ...}``;
    title: what the drawing is headed with.
    """

    def __init__(self, forward: Iterable[str] = (), backward: Iterable[str] = (), sizes: Mapping | None = None,
                 title: str = ""):
        if isinstance(forward, str) or isinstance(backward, str):
            raise GraphError(_("forward= and backward= are lists of lines, e.g. forward=['z = FC(x, W, b)', "
                               "'c = g(z)']: put the line in [ ]"))
        self.title = title
        self.functions: dict[str, Function] = {}
        for line in forward:
            self._add(line, backward=False)
        for line in backward:
            self._add(line, backward=True)
        self.sizes: dict[str, tuple[str, str]] = {}
        used = self.variables
        for key, value in dict(sizes or {}).items():
            name = canonical_variable(key)
            if name not in used:
                raise GraphError(_("sizes gives the size of {key!r}, which no line of the graph uses{suggestion}: "
                                   "the names in sizes are those of the lines").format(
                                       key=key, suggestion=_suggest(name, used)))
            if name in self.sizes:
                raise GraphError(_("sizes gives the size of {name!r} twice (as {key!r} and under another "
                                   "spelling)").format(name=name, key=key))
            try:
                self.sizes[name] = parse_size(value)
            except GraphError as error:
                raise GraphError(_("the size of {key!r}: {error}").format(key=key, error=error)) from None
        if ONE in used:
            self.sizes.setdefault(ONE, ("1", "1"))          # ∂c/∂c = 1 needs no size of the student's

    def _add(self, line: str, *, backward: bool) -> None:
        match = _LINE.match(str(line))
        if not match:
            raise GraphError(_("{line!r} does not read 'outputs = function(inputs)': write one line per function, "
                               "e.g. {example}").format(line=line, example=_example_line()))
        name = canonical_function(match["function"])
        if name.endswith(("~", "~)")) or "~(" in name:
            if not backward:
                raise GraphError(_("{function!r} is a backward function (its name has a tilde): put "
                                   "{line!r} in backward=[...]").format(function=match["function"], line=line))
        elif backward:
            indexed = re.fullmatch(r"(.+?)(\^?\(\d+\))", match["function"])     # ReLU(2): its backward is ReLU~(2)
            tilde = f"{indexed[1]}~{indexed[2]}" if indexed else f"{match['function']}~"
            raise GraphError(_("{function!r} is a forward function (its name has no tilde): put {line!r} "
                               "in forward=[...], or write its backward function '{backward}'").format(
                                   function=match["function"], line=line, backward=tilde))
        if name in self.functions:
            raise GraphError(_("two lines use the function {name!r}: give each its own name, e.g. with the layer's "
                               "index 'FC(1)' and 'FC(3)'").format(name=name))
        if match["inputs"].count("(") != match["inputs"].count(")") or ")" in match["inputs"].split("(")[0]:
            raise GraphError(_("{line!r}: the inputs of {name!r} go between its own parentheses, after its name: "
                               "e.g. {example}").format(line=line, name=name, example=_example_line()))
        inputs = tuple(canonical_variable(v) for v in match["inputs"].split(",") if v.strip())
        outputs = tuple(canonical_variable(v) for v in match["outputs"].split(","))
        if not inputs:
            raise GraphError(_("{line!r}: the function {name!r} has no inputs; write them between its "
                               "parentheses").format(line=line, name=name))
        for v in outputs:
            other = self.producer(v)
            if other is not None:
                raise GraphError(_("{variable!r} comes out of two functions, {other} and {name}: a variable has one "
                                   "function that computes it").format(variable=v, other=other, name=name))
        if len(set(inputs)) < len(inputs) or len(set(outputs)) < len(outputs):
            raise GraphError(_("{line!r} names a variable twice").format(line=line))
        self.functions[name] = Function(name, inputs, outputs, backward)

    # --- reading the graph ---------------------------------------------------------------------------------
    @property
    def variables(self) -> list[str]:
        """Every variable, in the order the lines first use them."""
        seen: dict[str, None] = {}
        for f in self.functions.values():
            for v in f.inputs + f.outputs:
                seen.setdefault(v)
        return list(seen)

    def producer(self, variable: str) -> str | None:
        return next((f.name for f in self.functions.values() if variable in f.outputs), None)

    def consumers(self, variable: str) -> list[str]:
        return [f.name for f in self.functions.values() if variable in f.inputs]

    @property
    def nodes(self) -> set[str]:
        return set(self.variables) | set(self.functions)

    def edges(self) -> set[tuple[str, str]]:
        """(from, to) for every input -> function and function -> output."""
        out = set()
        for f in self.functions.values():
            out |= {(v, f.name) for v in f.inputs} | {(f.name, v) for v in f.outputs}
        return out

    def __repr__(self) -> str:
        lines = [f"  {', '.join(f.outputs)} = {f.name}({', '.join(f.inputs)})" for f in self.functions.values()]
        return "Graph(\n" + "\n".join(lines) + "\n)"

    def _ipython_display_(self):
        from IPython.display import display

        from course.widgets import GraphDrawing
        display(GraphDrawing(self))

    # --- what any graph must satisfy -------------------------------------------------------------------------
    def slips(self, names: Iterable[str] = (), optional: Iterable[str] = ()) -> list[tuple[str, tuple[str, ...]]]:
        """The slips that need no answer to be seen, each (message, nodes concerned): a node of the Travail
        (``names``, in any spelling; "x(0)|x" accepts either name) missing or misspelt (``optional`` names may be
        there or not, and '1' = ∂c/∂c always may), a variable without a size, a cost that is not 1 x 1, a gradient
        sized unlike its variable, a gradient that feeds the forward pass or comes out of it, a backward function
        without its forward one, a cycle."""
        out: list[tuple[str, tuple[str, ...]]] = []
        wanted = [_canonical_names(name.split("|")) for name in names]
        known = set().union(*wanted, *(_canonical_names(name.split("|")) for name in optional), {ONE})
        nodes = self.nodes
        for choices in wanted:
            if not choices & nodes:
                name = sorted(choices, key=len, reverse=True)[0]
                out.append((_("the Travail names {name!r}: it is not in your graph{suggestion}").format(
                    name=name, suggestion=_suggest(name, nodes - known)), ()))
        if wanted:
            for name in sorted(nodes - known):
                out.append((_("{name!r} is not one of the names of the Travail{suggestion}").format(
                    name=name, suggestion=_suggest(name, known)), (name,)))
        for v in self.variables:
            if v not in self.sizes:
                out.append((_("{name!r} has no size: add it to sizes, as {{{name!r}: '<rows> x <columns>'}}").format(
                    name=v), (v,)))
        for v in (COST, ONE):
            if v in self.sizes and self.sizes[v] != ("1", "1"):
                out.append((_("{name!r} is sized {size}: the cost is a scalar, 1 × 1 (003 eq. 11)").format(
                    name=v, size=show_size(self.sizes[v])), (v,)))
        for v in self.variables:
            of = gradient_of(v)
            if of and v in self.sizes and of in self.sizes and self.sizes[v] != self.sizes[of]:
                out.append((_("{name!r} is sized {size} but {of!r} is {of_size}: a gradient has one entry per entry "
                              "of its variable").format(name=v, size=show_size(self.sizes[v]), of=of,
                                                        of_size=show_size(self.sizes[of])), (v, of)))
        for f in self.functions.values():
            if not f.backward:
                for v in f.inputs:
                    if is_gradient(v):
                        out.append((_("the edge {variable} → {function} feeds a gradient into the forward pass: the "
                                      "forward functions compute the variables, before any gradient exists").format(
                                          variable=v, function=f.name), (v, f.name)))
                for v in f.outputs:
                    if is_gradient(v):
                        out.append((_("{function} is a forward function but gives {variable!r}: gradients come out "
                                      "of the backward functions (with a tilde)").format(function=f.name, variable=v),
                                    (f.name, v)))
            else:
                if forward_of(f.name) not in self.functions:
                    out.append((_("{function} has no forward function {forward!r} in the graph: each backward "
                                  "function f~ goes back through a forward one f").format(
                                      function=f.name, forward=forward_of(f.name)), (f.name,)))
                for v in f.outputs:
                    if not is_gradient(v):
                        out.append((_("{function} is a backward function but gives {variable!r}: it gives gradients "
                                      "'dc/d...'").format(function=f.name, variable=v), (f.name, v)))
        if self._has_cycle():
            out.append((_("the graph has a cycle: a variable is computed from itself"), ()))
        return out

    def _has_cycle(self) -> bool:
        following: dict[str, list[str]] = {}
        for a, b in self.edges():
            following.setdefault(a, []).append(b)
        state: dict[str, int] = {}

        def visit(node: str) -> bool:
            state[node] = 1
            for nxt in following.get(node, []):
                if state.get(nxt) == 1 or (nxt not in state and visit(nxt)):
                    return True
            state[node] = 2
            return False

        return any(node not in state and visit(node) for node in list(following))


def _canonical_node(name: str) -> str:
    """A variable's or a function's one spelling (a name with a tilde is a function's)."""
    try:
        return canonical_variable(name)
    except GraphError:
        return canonical_function(name)


def _canonical_names(names: Iterable[str]) -> set[str]:
    return {_canonical_node(name) for name in names}


# --- comparing with a reference (the hidden tests hold the reference) --------------------------------------------
def _rename(graph: Graph, aliases: Mapping[str, str], function_aliases: Mapping[str, str]) -> Graph:
    """A copy of ``graph`` where each variable named in ``aliases`` (and its gradient) and each function named in
    ``function_aliases`` has its reference name."""
    table = {canonical_variable(k): canonical_variable(v) for k, v in aliases.items()}
    for k, v in list(table.items()):
        if not is_gradient(k):
            table.setdefault(f"d{COST}/d{k}", f"d{COST}/d{v}")
    functions = {canonical_function(k): canonical_function(v) for k, v in function_aliases.items()}
    renamed = Graph.__new__(Graph)
    renamed.title = graph.title
    renamed.functions = {}
    for name, f in graph.functions.items():
        name = functions.get(name, name)
        renamed.functions[name] = f._replace(name=name, inputs=tuple(table.get(v, v) for v in f.inputs),
                                             outputs=tuple(table.get(v, v) for v in f.outputs))
    renamed.sizes = {table.get(v, v): s for v, s in graph.sizes.items()}
    return renamed


def differences(graph: Graph, reference: Graph, *, part: str = "edges", aliases: Mapping[str, str] | None = None,
                function_aliases: Mapping[str, str] | None = None,
                alternative_inputs: Mapping[str, Mapping[str, str]] | None = None,
                optional_inputs: Mapping[str, Iterable[str]] | None = None,
                optional_outputs: Mapping[str, Iterable[str]] | None = None,
                other_sizes: Mapping[str, Iterable] | None = None,
                hints: Mapping[str, str] | None = None) -> list[str]:
    """What makes ``graph`` differ from ``reference``, one message per wrong node, edge or size.

    part: "edges" (the nodes, what each function receives and gives) or "sizes" (the size of every variable);
    aliases: other names accepted for a variable, ``{"x(3)": "s"}`` (their gradients follow);
    function_aliases: other names accepted for a function, ``{"ReLU": "ReLU(2)"}``;
    alternative_inputs: an input a function may receive instead of one of the reference's,
    ``{"ReLU~": {"x": "z"}}`` (z > 0 exactly where x > 0);
    optional_inputs / optional_outputs: edges that may be there or not, whether the reference has them or not,
    ``{"g~": ["1"]}``;
    other_sizes: other sizes accepted, ``{"y": ["N x 1"]}``;
    hints: a sentence added to the message about a node or an edge, ``{"FC~": "...", "b -> FC~": "..."}``.
    """
    if not isinstance(graph, Graph):
        return [_("the answer must be a Graph(forward=[...], backward=[...], sizes={{...}}), got {kind}").format(
            kind=type(graph).__name__)]
    graph = _rename(graph, aliases or {}, function_aliases or {})
    hints = {" -> ".join(_canonical_node(part) for part in k.split("->")): v for k, v in (hints or {}).items()}

    def hint(node: str, edge: tuple[str, str] | None = None) -> str:
        """The hint about this edge ("b -> FC~"), else the one about the node."""
        text = hints.get(" -> ".join(edge), hints.get(node)) if edge else hints.get(node)
        return f" ({text})" if text else ""

    optional_in = {canonical_function(k): {canonical_variable(v) for v in vs}
                   for k, vs in (optional_inputs or {}).items()}
    optional_out = {canonical_function(k): {canonical_variable(v) for v in vs}
                    for k, vs in (optional_outputs or {}).items()}
    optional_nodes = set().union(*optional_in.values(), *optional_out.values())
    problems: list[str] = []
    if part == "sizes":
        accepted = {canonical_variable(k): {parse_size(s) for s in vs} for k, vs in (other_sizes or {}).items()}
        for v in reference.variables:
            if v not in graph.variables:
                continue
            want = {reference.sizes[v]} | accepted.get(v, set())
            got = graph.sizes.get(v)
            if got is None:
                problems.append(_("{name!r} has no size; the text gives {size}{hint}").format(
                    name=v, size=show_size(reference.sizes[v]), hint=hint(v)))
            elif got not in want:
                problems.append(_("{name!r} is sized {got}; the text gives {size}{hint}").format(
                    name=v, got=show_size(got), size=show_size(reference.sizes[v]), hint=hint(v)))
        if ONE in graph.sizes and ONE not in reference.variables and graph.sizes[ONE] != ("1", "1"):
            problems.append(_("'1' (∂c/∂c) is sized {size}: it is a scalar, 1 × 1").format(
                size=show_size(graph.sizes[ONE])))
        missing = [v for v in reference.variables if v not in graph.variables and v not in optional_nodes]
        if missing:
            problems.append(_("sizes cannot be checked for {names}, which your graph does not have").format(
                names=", ".join(map(repr, missing))))
        return problems
    if part != "edges":
        raise ValueError(_("part is 'edges' or 'sizes', not {part!r}").format(part=part))
    for name in sorted(reference.nodes - graph.nodes - optional_nodes):
        problems.append(_("your graph has no node {name!r}{suggestion}{hint}").format(
            name=name, suggestion=_suggest(name, graph.nodes - reference.nodes), hint=hint(name)))
    for name in sorted(graph.nodes - reference.nodes - optional_nodes):
        problems.append(_("{name!r} is not a node of this graph{suggestion}").format(
            name=name, suggestion=_suggest(name, reference.nodes - graph.nodes)))
    for name, want in reference.functions.items():
        got = graph.functions.get(name)
        if got is None:
            continue
        want_in = set(want.inputs)
        for needed, instead in ((alternative_inputs or {}).get(name, {})).items():
            needed, instead = canonical_variable(needed), canonical_variable(instead)
            if needed not in got.inputs and instead in got.inputs:
                want_in = (want_in - {needed}) | {instead}
        extra_in = set(got.inputs) - want_in - optional_in.get(name, set())
        for v in sorted(extra_in):
            if not want.backward and is_gradient(v):
                problems.append(_("the edge {variable} → {function} should not be there: a backward output flows "
                                  "into the forward function {function}, but the forward pass is computed before any "
                                  "gradient").format(variable=v, function=name))
                continue
            problems.append((_("the edge {variable} → {function} should not be there: the backward function "
                               "{function} does not need {variable}{hint}") if want.backward else
                             _("the edge {variable} → {function} should not be there: the forward function "
                               "{function} does not need {variable}{hint}")).format(
                                variable=v, function=name, hint=hint(name, (v, name))))
        for v in sorted(want_in - set(got.inputs) - optional_in.get(name, set())):
            problems.append((_("the edge {variable} → {function} is missing: the backward function {function} needs "
                               "{variable}{hint}") if want.backward else
                             _("the edge {variable} → {function} is missing: the forward function {function} needs "
                               "{variable}{hint}")).format(variable=v, function=name, hint=hint(name, (v, name))))
        for v in sorted(set(got.outputs) - set(want.outputs) - optional_out.get(name, set())):
            where = reference.producer(v)
            problems.append((_("the edge {function} → {variable} should not be there: {variable} comes out of "
                               "{producer}{hint}") if where else
                             _("the edge {function} → {variable} should not be there: {variable} is not given by "
                               "{function}{hint}")).format(function=name, variable=v, producer=where,
                                                          hint=hint(name)))
        for v in sorted(set(want.outputs) - set(got.outputs) - optional_out.get(name, set())):
            problems.append(_("the edge {function} → {variable} is missing: {function} gives {variable}{hint}").format(
                function=name, variable=v, hint=hint(name)))
    return problems


def assert_graph(graph, reference: Graph, **options) -> None:
    """Raise AssertionError naming every difference of ``graph`` from ``reference`` (see ``differences``)."""
    problems = differences(graph, reference, **options)
    if problems:
        raise AssertionError(separated(problems))
