"""A small scalar computational graph, for teaching (document 001, "Graphe de calcul").

Every variable or constant is a node; every operation builds a new node that knows its operation (``op``), its
inputs and, once the graph is evaluated, its value::

    p, q = Variable("p"), Variable("q")
    r = (p - q).named("r")
    s = (r * r + p).named("s")
    s.evaluate(p=1.5, q=4)        # 7.75; r.value == -2.5

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

Inputs are counted from 0, as in ``node.inputs[i]``: for ``logb`` input 0 is the base b, input 1 is x.

For the checks of notebook 01 (no rule here either: they compare the student's with measurements or with the
hidden tests' own formulas): ``check_local_gradients`` (a visible check of the student's rule for one operation
against central differences, with the course's convention at the ReLU's kink), ``evaluation_guard`` (a block in
which the student's derivative code must not compute node values: a rule or a backward pass that measures its
derivatives numerically instead of deriving them fails), ``input_label`` (how messages name an input).
"""
from __future__ import annotations

import contextlib
import itertools
import math
from collections import Counter
from typing import Callable, Iterable

from course import gradcheck
from course.i18n import _, ngettext, separated

_VALUES: dict[str, Callable[..., float]] = {
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

# How often each operation has been computed, and each derivative measured, through this module ever
# (evaluation_guard compares the counts before and after its block).
_USAGE: Counter = Counter()


def _counted(op: str, fn: Callable[..., float]) -> Callable[..., float]:
    def value(*inputs):
        _USAGE[op] += 1
        return fn(*inputs)
    value.__name__ = value.__qualname__ = f"forward_{op}"
    return value


FORWARD: dict[str, Callable[..., float]] = {op: _counted(op, fn) for op, fn in _VALUES.items()}
"""The value of each operation from the values of its inputs (no derivative here)."""

def input_roles() -> dict[str, tuple[str, ...]]:
    """What the inputs of the operations whose inputs play different roles are, in the order of ``node.inputs``
    (counted from 0), in the course's language (looked up at each call: the language may change after import)."""
    return {
        "div": (_("a, the numerator"), _("b, the denominator")),
        "pow": (_("the base b"), _("the exponent x")), "logb": (_("the base b"), "x"),
    }


def input_label(op: str, i: int, of: bool = True) -> str:
    """How messages name input ``i`` of an ``op`` node, counted from 0 as in the code: "input 0 of logb, the
    base b" ("input 0 (the base b)" without ``of``). In French it carries its article, « l'entrée 0 de logb, la
    base b », so that a sentence reads « par rapport à l'entrée 0 (la base b) »."""
    roles = input_roles().get(op, ())
    fields = dict(i=i, op=op, role=roles[i] if i < len(roles) else "")
    if of:
        return (_("input {i} of {op}, {role}") if i < len(roles) else _("input {i} of {op}")).format(**fields)
    return (_("input {i} ({role})") if i < len(roles) else _("input {i}")).format(**fields)

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
            raise ValueError(_("unknown operation {op!r}; known: {known}").format(op=op,
                                                                                  known=", ".join(sorted(FORWARD))))
        self.op = op
        self.inputs = tuple(inputs)
        self.id = next(_ids)
        self.name = name or f"{op}{self.id}"
        self.auto_named = name is None   # drawings number unnamed nodes within their own graph
        self.value = None if value is None else float(value)

    def named(self, name: str) -> "Node":
        """Give the node a name (as the document names its intermediate variables) and return it."""
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
            raise ValueError(_("give a value to every free variable; missing: {names}").format(
                names=", ".join(missing)))
        unknown = set(given) - {v.name for v in free}
        if unknown:
            raise ValueError(_("not free variables of this graph: {names}").format(names=", ".join(sorted(unknown))))
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
        raise ValueError(_("{op}({inputs}) cannot be computed: {error}").format(op=op, inputs=shown,
                                                                                 error=error)) from None


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
    """``course.gradcheck.central_difference`` (f(x + h) - f(x - h)) / 2h with a step scaled to x (never jumping
    over 0); a smaller step if the first one leaves the domain of f (log near 0); NaN if it cannot be measured.
    Values below 1e-9 (rounding noise around a true 0) are reported as 0."""
    _USAGE["measured"] += 1
    h = 1e-6 * max(1.0, abs(x))
    if x != 0:
        h = min(h, abs(x) / 10)
    for _attempt in range(4):
        try:
            slope = gradcheck.central_difference(f, x, h)
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


# --- for the checks of notebook 01 ----------------------------------------------------------------------------
RELU_AT_ZERO = 0.0
"""The course's convention where the ReLU has no derivative (notebook 01, step 2): at exactly 0, return 0."""

_ARGUMENTS = {"add": "a, b", "sub": "a, b", "mul": "a, b", "div": "a, b", "pow": "b, x", "logb": "b, x"}


def _shown(values) -> str:
    return ", ".join(f"{float(v):g}" for v in values)


def check_local_gradients(local_gradients: Callable, op: str, *points: tuple, hints=None) -> None:
    """A visible check of the student's rule for ``op``: at each point (a tuple of input values), each local
    gradient ``local_gradients(op, *point)[i]`` is compared with the derivative of ``op`` with respect to input
    ``i`` measured by central differences (at a ReLU's kink, with the course's convention ``RELU_AT_ZERO``).

    ``hints``: one sentence per input (a sequence, or a dict {i: sentence}), added to the message when that
    input's local gradient is wrong. Raises ``course.gradcheck.GradientCheckError`` naming the operation, the
    input (counted from 0), the point and what the mistake looks like (a sign, a constant factor, ...)."""
    __tracebackhide__ = True
    from course.gradcheck import GradientCheckError, call_student

    hints = dict(enumerate(hints)) if isinstance(hints, (list, tuple)) else dict(hints or {})
    n = len(points[0])
    # TRANSLATORS: what local_gradients must return, in "... returned 'a', not a tuple of 2 numbers, ...".
    expected = ngettext("a tuple of {n} number, one local gradient per input",
                        "a tuple of {n} numbers, one local gradient per input", n).format(n=n)
    got = []
    for point in points:
        call = f"local_gradients({op!r}, {_shown(point)})"
        answer = call_student(local_gradients, op, *point)
        try:
            values = tuple(float(v) for v in answer)
        except (TypeError, ValueError):
            raise GradientCheckError(op, "type", _("{call} returned {answer!r:.80}, not {expected}").format(
                call=call, answer=answer, expected=expected)) from None
        if len(values) != n:
            raise GradientCheckError(op, "type", ngettext("{call} returned {count} value: it must return {expected}",
                                                          "{call} returned {count} values: it must return {expected}",
                                                          len(values)).format(call=call, count=len(values),
                                                                              expected=expected))
        got.append(values)
    for i in range(n):
        mine = [g[i] for g in got]
        if op == "relu":
            kinks = [k for k, point in enumerate(points) if point[0] == 0 and mine[k] != RELU_AT_ZERO]
            if kinks:
                raise GradientCheckError(op, "convention", _(
                    "local_gradients('relu', 0) returned ({value:g},): at exactly 0 the ReLU has no derivative, "
                    "and the course's convention (step 2) is a local gradient of {convention:g} there, as in the "
                    "frameworks.").format(value=mine[kinks[0]], convention=RELU_AT_ZERO))
        measured = []
        for point in points:
            if op == "relu" and point[0] == 0:
                measured.append(RELU_AT_ZERO)
            else:
                measured.append(numeric_local(op, *point)[i])
        wrong = [k for k in range(len(points)) if not math.isfinite(mine[k])
                 or (not math.isnan(measured[k]) and not gradcheck.close(mine[k], measured[k]))]
        if not wrong:
            continue
        k = wrong[0]
        args = _ARGUMENTS.get(op, "x")
        # TRANSLATORS: one item of a list in parentheses: "(at (1, 5) yours 1, measured 5; at (4, -1) ...)".
        others = [_("at ({point}) yours {mine:.4g}, measured {measured:.4g}").format(
            point=_shown(points[j]), mine=mine[j], measured=measured[j]) for j in wrong[1:3]]
        fields = dict(op=op, point=_shown(points[k]), i=i, mine=mine[k], args=args,
                      input=input_label(op, i, of=False), measured=measured[k], others=separated(others))
        if others:
            message = _("local_gradients({op!r}, {point})[{i}] = {mine:.6g}, the derivative of {op}({args}) with "
                        "respect to {input}; measured by central differences it is {measured:.6g} ({others}).")
        else:
            message = _("local_gradients({op!r}, {point})[{i}] = {mine:.6g}, the derivative of {op}({args}) with "
                        "respect to {input}; measured by central differences it is {measured:.6g}.")
        message = message.format(**fields) + _looks_like(mine, measured)
        if i in hints:
            message += " " + _("Hint: {hint}").format(hint=hints[i])
        raise GradientCheckError(op, "mismatch", message)


def _looks_like(mine, measured) -> str:
    """What the wrong local gradients look like, from several points: zero, a sign, a constant factor."""
    pairs = [(m, r) for m, r in zip(mine, measured) if math.isfinite(m) and abs(r) > 1e-9]
    if len(pairs) < 2:
        return ""
    if all(m == 0 for m, _r in pairs):
        return " " + _("Yours is 0 where the derivative is not.")
    ratios = [m / r for m, r in pairs]
    if all(math.isclose(q, ratios[0], rel_tol=1e-4) for q in ratios):
        if math.isclose(ratios[0], -1, rel_tol=1e-4):
            return " " + _("Yours is the derivative times -1 at every point: a sign error.")
        return " " + _("Yours is the derivative times {factor:.4g} at every point: a constant factor is missing or "
                       "extra.").format(factor=ratios[0])
    return ""


@contextlib.contextmanager
def evaluation_guard(function_name: str, allowed: int = 0):
    """A block in which the student's derivative code may compute at most ``allowed`` operations through this
    module (``evaluate``, ``compute``, ``value_with``, ``FORWARD``, ``numeric_local``, ...).

    A backward pass only multiplies and adds the partial derivatives it is given; a rule computes its
    derivative from a formula. Code that moves values and measures how the output changes (a numeric
    derivative) computes the graph's operations again and again: on a normal exit of the block it is reported as
    ``course.gradcheck.GradientCheckError(function_name, "numeric", ...)``. An exception raised inside the block
    propagates unchanged."""
    __tracebackhide__ = True
    from course.gradcheck import GradientCheckError

    before = Counter(_USAGE)
    yield
    used = _USAGE - before
    measured = used.pop("measured", 0)
    computed = sum(used.values())
    if computed > allowed or measured:
        ops = ", ".join(f"{op} {count}×" for op, count in used.most_common(4)) or _("none")
        fields = dict(name=function_name, computed=computed, ops=ops, measured=measured)
        if measured:
            # TRANSLATORS: "{name} computed 3 operations of the graph (add 2×, mul 1×) and measured 2 derivatives ..."
            measuring = ngettext("and measured {measured} derivative numerically",
                                 "and measured {measured} derivatives numerically", measured).format(**fields)
            what = ngettext("{name} computed {computed} operation of the graph ({ops}) {measuring} with "
                            "course.graph (evaluate, value_with, compute, numeric_local, ...): it measures its "
                            "derivatives numerically, by moving values and watching the result, instead of "
                            "deriving them.",
                            "{name} computed {computed} operations of the graph ({ops}) {measuring} with "
                            "course.graph (evaluate, value_with, compute, numeric_local, ...): it measures its "
                            "derivatives numerically, by moving values and watching the result, instead of "
                            "deriving them.", computed).format(measuring=measuring, **fields)
        else:
            what = ngettext("{name} computed {computed} operation of the graph ({ops}) with course.graph (evaluate, "
                            "value_with, compute, numeric_local, ...): it measures its derivatives numerically, by "
                            "moving values and watching the result, instead of deriving them.",
                            "{name} computed {computed} operations of the graph ({ops}) with course.graph "
                            "(evaluate, value_with, compute, numeric_local, ...): it measures its derivatives "
                            "numerically, by moving values and watching the result, instead of deriving them.",
                            computed).format(**fields)
        raise GradientCheckError(function_name, "numeric", what + " " + _(
            "A numeric derivative is what checks a derivative, not a derivative: apply the rule of each node "
            "(step 2) and, backward, downstream = upstream × local (step 5)."))
