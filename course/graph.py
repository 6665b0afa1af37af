"""A small scalar computational graph, for teaching (document 001, "Graphe de calcul").

Every variable or constant is a node; every operation builds a new node that knows its operation (``op``), its
inputs and, once the graph is evaluated, its value::

    a, b = Variable("a"), Variable("b")
    c = (a + b).named("c")
    d = (b + 1).named("d")
    e = (c * d).named("e")
    e.evaluate(a=3, b=5)          # 48.0; c.value == 8.0, d.value == 6.0

What this module knows is how to compute *values* (steps 1 and 2 of the document: give values to the free
variables, compute every node from them). It holds no derivative rule and no backward pass: those are what the
student writes in notebook 01 (``local_gradients``, ``gradient_by_paths``, ``backward``).

Operations (``Node.op``), with the inputs in the order ``Node.inputs`` keeps them:

=========  ============  =====================================
op         inputs        value
=========  ============  =====================================
``add``    a, b          a + b
``sub``    a, b          a - b
``mul``    a, b          a * b
``div``    a, b          a / b
``neg``    x             -x
``inv``    x             1 / x
``exp``    x             e^x
``log``    x             ln x
``pow``    b, x          b^x   (``b ** x``: base first)
``logb``   b, x          log_b(x) = ln x / ln b (base first)
``relu``   x             max(0, x)
=========  ============  =====================================
"""
from __future__ import annotations

import itertools
import math
from typing import Callable, Iterable

FORWARD: dict[str, Callable[..., float]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "neg": lambda x: -x,
    "inv": lambda x: 1.0 / x,
    "exp": math.exp,
    "log": math.log,
    "pow": lambda b, x: b ** x,
    "logb": lambda b, x: math.log(x) / math.log(b),
    "relu": lambda x: max(0.0, x),
}
"""The value of each operation from the values of its inputs (no derivative here)."""

SYMBOL = {"add": "+", "sub": "−", "mul": "×", "div": "/", "neg": "−x", "inv": "1/x", "exp": "exp",
          "log": "ln", "pow": "b^x", "logb": "log_b", "relu": "ReLU", "var": "", "const": ""}
"""How each operation is written on a drawing of the graph."""

_ids = itertools.count()


class Node:
    """A node of the graph: a free variable (``op == "var"``), a constant (``op == "const"``), or the result of
    an operation on its ``inputs``. ``value`` is None until the graph is evaluated (constants always have it)."""

    def __init__(self, op: str, inputs: Iterable["Node"] = (), name: str | None = None,
                 value: float | None = None):
        if op not in FORWARD and op not in ("var", "const"):
            raise ValueError(f"unknown operation {op!r}; known: {', '.join(sorted(FORWARD))}")
        self.op = op
        self.inputs = tuple(inputs)
        self.id = next(_ids)
        self.name = name or f"{op}{self.id}"
        self.auto_named = name is None   # drawings number unnamed nodes within their own graph
        self.value = None if value is None else float(value)

    def named(self, name: str) -> "Node":
        """Give the node a name (as the document names its intermediate variables c, d, e) and return it."""
        self.name = name
        self.auto_named = False
        return self

    def __repr__(self) -> str:
        inputs = ", ".join(i.name for i in self.inputs)
        shown = "" if self.value is None else f" = {self.value:g}"
        body = self.name if self.op in ("var", "const") else f"{self.name} = {self.op}({inputs})"
        return f"<{body}{shown}>"

    # Nodes are keys of dictionaries (one entry per node): identity, not value, decides equality.
    __hash__ = object.__hash__

    # --- building the graph with Python's operators -----------------------------------------------------------
    def __add__(self, other): return Node("add", (self, as_node(other)))
    def __radd__(self, other): return Node("add", (as_node(other), self))
    def __sub__(self, other): return Node("sub", (self, as_node(other)))
    def __rsub__(self, other): return Node("sub", (as_node(other), self))
    def __mul__(self, other): return Node("mul", (self, as_node(other)))
    def __rmul__(self, other): return Node("mul", (as_node(other), self))
    def __truediv__(self, other): return Node("div", (self, as_node(other)))
    def __rtruediv__(self, other): return Node("div", (as_node(other), self))
    def __pow__(self, other): return Node("pow", (self, as_node(other)))
    def __rpow__(self, other): return Node("pow", (as_node(other), self))
    def __neg__(self): return Node("neg", (self,))

    # --- evaluation (steps 1 and 2 of the document) ----------------------------------------------------------
    def evaluate(self, values: dict | None = None, **by_name: float) -> float:
        """Give values to the free variables (by node or by name) and compute every node of the graph that ends
        here, inputs before the nodes that use them. Returns this node's value."""
        given = {}
        for key, value in {**(values or {}), **by_name}.items():
            given[key if isinstance(key, str) else key.name] = float(value)
        free = free_variables(self)
        missing = [v.name for v in free if v.name not in given and v.value is None]
        if missing:
            raise ValueError(f"give a value to every free variable; missing: {', '.join(missing)}")
        unknown = set(given) - {v.name for v in free}
        if unknown:
            raise ValueError(f"not free variables of this graph: {', '.join(sorted(unknown))}")
        for node in topological_order(self):
            if node.op == "var":
                node.value = given.get(node.name, node.value)
            elif node.op != "const":
                node.value = compute(node.op, *(i.value for i in node.inputs))
        return self.value


def Variable(name: str, value: float | None = None) -> Node:
    """A free variable of the function (document 001: "variables libres")."""
    return Node("var", name=name, value=value)


def Constant(value: float, name: str | None = None) -> Node:
    return Node("const", name=name or f"{value:g}", value=value)


def as_node(x) -> Node:
    return x if isinstance(x, Node) else Constant(x)


def compute(op: str, *inputs: float) -> float:
    """The value of ``op`` at ``inputs``, with a message that says which operation could not be computed."""
    try:
        return float(FORWARD[op](*inputs))
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        shown = ", ".join(f"{v:g}" for v in inputs)
        raise ValueError(f"{op}({shown}) cannot be computed: {error}") from None


# --- the operations as functions, for those without a Python operator -------------------------------------------
def exp(x) -> Node: return Node("exp", (as_node(x),))
def log(x) -> Node: return Node("log", (as_node(x),))
def logb(b, x) -> Node: return Node("logb", (as_node(b), as_node(x)))
def inv(x) -> Node: return Node("inv", (as_node(x),))
def relu(x) -> Node: return Node("relu", (as_node(x),))


# --- walking the graph ------------------------------------------------------------------------------------------
def topological_order(output: Node) -> list[Node]:
    """Every node the output depends on, each once, every node after all of its inputs; ``output`` is last.
    (Iterative, so deep graphs do not hit Python's recursion limit.)"""
    order, seen, stack = [], set(), [(output, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        for child in reversed(node.inputs):
            if child not in seen:
                stack.append((child, False))
    return order


def free_variables(output: Node) -> list[Node]:
    """The variables (``op == "var"``) the output depends on, in the order they are first met."""
    return [n for n in topological_order(output) if n.op == "var"]


def edges(output: Node) -> list[tuple[Node, Node, int]]:
    """Every edge ``(input, node, i)`` of the graph: ``input`` is ``node.inputs[i]``. A node used twice by the
    same operation (``x * x``) gives two edges."""
    return [(child, node, i) for node in topological_order(output) for i, child in enumerate(node.inputs)]


def users(output: Node) -> dict[Node, list[tuple[Node, int]]]:
    """For each node, the ``(node, i)`` that use it as their i-th input (empty for the output)."""
    found = {n: [] for n in topological_order(output)}
    for child, node, i in edges(output):
        found[child].append((node, i))
    return found


def value_with(output: Node, overrides: dict[Node, float]) -> float:
    """The output's value when some nodes' values are replaced by ``overrides`` (the graph's own values are
    left as they are). Used to measure, by finite differences, how the output changes with one node."""
    values = {}
    for node in topological_order(output):
        if node in overrides:
            values[node] = float(overrides[node])
        elif node.op in ("var", "const"):
            values[node] = node.value
        else:
            values[node] = compute(node.op, *(values[i] for i in node.inputs))
    return values[output]


def central_difference(f: Callable[[float], float], x: float) -> float:
    """(f(x + h) - f(x - h)) / 2h with a step scaled to x (never jumping over 0); a smaller step if the first
    one leaves the domain of f (log near 0); NaN if it cannot be measured. Values below 1e-9 (rounding noise
    around a true 0) are reported as 0."""
    h = 1e-6 * max(1.0, abs(x))
    if x != 0:
        h = min(h, abs(x) / 10)
    for _ in range(4):
        try:
            slope = (f(x + h) - f(x - h)) / (2 * h)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            h /= 100
            continue
        if math.isfinite(slope):
            return 0.0 if abs(slope) < 1e-9 else slope
        h /= 100
    return math.nan


def numeric_local(op: str, *inputs: float) -> tuple[float, ...]:
    """The local gradients of ``op`` at ``inputs`` measured by central differences (not a rule: a measurement,
    to check rules against)."""
    def moving(i):
        return lambda v: compute(op, *inputs[:i], v, *inputs[i + 1:])
    return tuple(central_difference(moving(i), value) for i, value in enumerate(inputs))


def numeric_output_derivative(output: Node, node: Node) -> float:
    """d output / d node measured by central differences: the node's value is moved by ±h and everything after
    it recomputed (what the upstream gradient of ``node`` must equal)."""
    return central_difference(lambda v: value_with(output, {node: v}), node.value)


class CountingFloat(float):
    """A float that counts the multiplications made with it (and with what comes out of them), to measure how
    much work an algorithm does (document 001, "Problème d'efficacité")."""

    count = 0

    def __mul__(self, other):
        CountingFloat.count += 1
        return CountingFloat(float(self) * float(other))

    __rmul__ = __mul__

    def __add__(self, other): return CountingFloat(float(self) + float(other))
    def __radd__(self, other): return CountingFloat(float(other) + float(self))
    def __sub__(self, other): return CountingFloat(float(self) - float(other))
    def __rsub__(self, other): return CountingFloat(float(other) - float(self))
    def __truediv__(self, other): return CountingFloat(float(self) / float(other))
    def __rtruediv__(self, other): return CountingFloat(float(other) / float(self))
    def __neg__(self): return CountingFloat(-float(self))


def count_multiplications(algorithm: Callable, output: Node, partials: dict) -> tuple[object, int]:
    """Run ``algorithm(output, partials)`` with every partial derivative wrapped in a ``CountingFloat``; return
    its result and the number of multiplications it made with them."""
    counted = {node: tuple(CountingFloat(p) for p in local) for node, local in partials.items()}
    CountingFloat.count = 0
    result = algorithm(output, counted)
    return result, CountingFloat.count
