"""Read the student's own cells for code that tampers with how the kernel runs or reports the tests.

Nothing here changes a score: a finding is a flag for the teacher, with the cell and the line. What is looked
for: IPython hooks and transformers (they can rewrite or skip the test cells), replaced error reporting
(``showtraceback``, ``set_custom_exc``, ``sys.excepthook``), attributes of numpy, ``course``, builtins, sys or
IPython rebound (``np.allclose = lambda *a, **k: True``), ``sys.modules`` edited, modules reloaded, a name the
tests use (imported or defined by a locked cell) redefined, writes into the notebook's namespace through
``globals()``, ``vars()``, ``locals()``, ``__dict__`` or ``setattr`` on a module (``globals()["check_" +
"backward"] = ...``: a name built at run time), and code built at run time (``exec``), which would hide all of
the above from this scan.

And a backward pass that derives nothing (DESIGN.md, "A backward function must derive"): a graded function (one
whose name says backward or grad, or any function of a solution cell) that uses course.gradcheck's numeric
differentiation under any name, or that computes central differences by hand -- an array entry moved by a
small step h and a difference of two evaluations divided by 2h (or h) -- directly or through a helper of the
student's.  A generic differentiator of a function it receives (``numerical_derivative(f, x, h)`` of 01) is
the course's own exercise and is not flagged; called from a graded function, it is.

The student's cells are the solution cells and any cell the student added; locked cells are the course's and
are not read (hidden tests legitimately swap reference layers).
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass

from IPython.core.inputtransformer2 import TransformerManager

from . import cells

WATCHED_MODULES = ("numpy", "course", "builtins", "sys", "IPython", "math", "random", "os", "__main__")
HOOK_ATTRIBUTES = {
    "input_transformers_cleanup": "changes how IPython reads cells (an input transformer)",
    "input_transformers_post": "changes how IPython reads cells (an input transformer)",
    "input_transformer_manager": "changes how IPython reads cells (an input transformer)",
    "ast_transformers": "changes the code IPython runs (an AST transformer)",
    "set_custom_exc": "replaces how IPython reports errors",
    "showtraceback": "replaces how IPython reports errors",
    "_showtraceback": "replaces how IPython reports errors",
    "showsyntaxerror": "replaces how IPython reports errors",
    "excepthook": "replaces how Python reports errors",
    "run_cell": "replaces how IPython runs cells",
    "run_ast_nodes": "replaces how IPython runs cells",
    "run_code": "replaces how IPython runs cells",
    "displayhook": "replaces how IPython shows results",
}
DYNAMIC = {"exec", "eval", "compile", "__import__"}
NAMESPACES = {"globals", "locals", "vars"}
MUTATORS = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"}
# course.gradcheck's numeric differentiation (derivation_guard counts the same functions at run time).
NUMERIC = {
    "course.gradcheck": {"numeric_gradient", "numeric_gradient_array", "check_backward", "_central_differences",
                         "_partial_derivative"},
    "course.graph": {"central_difference", "numeric_local", "numeric_output_derivative"},
}
# Names a finite-difference step usually has; any name bound to a small constant counts too.
STEP_NAMES = {"h", "eps", "epsilon", "delta", "step", "dh", "hstep", "delta_h"}
SMALL_STEP = 1e-2
MAGICS = {"load_ext", "reload_ext", "autoreload", "run", "aimport"}


@dataclass(frozen=True)
class Finding:
    cell: str
    line: int
    code: str
    why: str

    def __str__(self) -> str:
        return f"{self.cell}, line {self.line}: `{self.code}` -- {self.why}"


def _line_offset(source: str) -> int:
    """How many leading blank lines IPython's transformation dropped: a finding's line is the cell's own."""
    def blank(text):
        lines = text.split("\n")
        return next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    return max(0, blank(source) - blank(_python(source)))


@functools.lru_cache(maxsize=4096)
def _python(source: str) -> str:
    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _dotted(node) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    if isinstance(node, ast.Call):
        inner = _dotted(node.func)
        return None if inner is None else ".".join([inner + "()", *reversed(parts)])
    return None


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node


class _Aliases(ast.NodeVisitor):
    """Names bound to modules (``np`` -> numpy) and names bound by imports and definitions (for locked cells)."""

    def __init__(self):
        self.modules: dict[str, str] = {}
        self.bound: dict[str, str] = {}
        self._depth = 0        # inside a function: its imports name modules too, but bind no name of the cell

    def visit_Import(self, node):
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            self.modules[name] = alias.name if alias.asname else alias.name.split(".")[0]
            if not self._depth:
                self.bound[name] = f"import {alias.name}"

    def visit_ImportFrom(self, node):
        for alias in node.names:
            name = alias.asname or alias.name
            self.modules[name] = f"{node.module}.{alias.name}"
            if not self._depth:
                self.bound[name] = f"from {node.module} import {alias.name}"

    def visit_FunctionDef(self, node):
        if not self._depth:
            self.bound[node.name] = f"def {node.name}"
        self._depth += 1       # ``def backward(...): from course.graph import numeric_local`` is an import too
        self.generic_visit(node)
        self._depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.bound[node.name] = f"class {node.name}"


def _watched(name: str | None, aliases: dict[str, str]) -> str | None:
    """The module path a dotted name's root refers to, if it is one of the watched modules."""
    if not name:
        return None
    root = name.split(".")[0]
    module = aliases.get(root, root if root in ("sys", "builtins", "__builtins__") else None)
    if module and (module.split(".")[0] in WATCHED_MODULES or root == "__builtins__"):
        return ".".join([module, *name.split(".")[1:]])
    return None


def _tree(cell):
    try:
        return ast.parse(_python(cell.source))
    except SyntaxError:
        return None


def student_cells(nb) -> list[tuple[str, object]]:
    out = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cells.is_locked(cell):
            continue
        grade_id = cells.grade_id(cell)
        out.append((f"cell `{grade_id}`" if grade_id else f"cell {index + 1} (added by the student)", cell))
    return out


@dataclass
class _Parsed:
    """A student's code cell that parses: where it stands, its tree, its lines as Python, and how many lines its
    magics took out before them."""
    label: str
    cell: object
    tree: ast.Module
    lines: list[str]
    offset: int


def _parsed_student_cells(nb) -> list[_Parsed]:
    out = []
    for label, cell in student_cells(nb):
        tree = _tree(cell)
        if tree is not None:
            out.append(_Parsed(label, cell, tree, _python(cell.source).splitlines(), _line_offset(cell.source)))
    return out


def _flagger(findings: list[Finding], parsed: _Parsed):
    """``flag(node, why)``: a finding at ``node`` of the cell ``parsed``."""
    def flag(node, why):
        lines = parsed.lines
        code = lines[node.lineno - 1].strip() if 0 < node.lineno <= len(lines) else ""
        findings.append(Finding(parsed.label, node.lineno + parsed.offset, code[:120], why))
    return flag


def scan(nb) -> list[Finding]:
    """Findings in the student's cells of ``nb`` (the notebook as submitted, before any cell is restored)."""
    locked = _Aliases()
    every = _Aliases()
    star = set()
    for cell in nb.cells:
        tree = _tree(cell) if cell.cell_type == "code" else None
        if tree is None:
            continue
        every.visit(tree)
        star |= {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module in NUMERIC
                 and any(a.name == "*" for a in n.names)}
        if cells.is_locked(cell):
            locked.visit(tree)
    findings: list[Finding] = []
    for parsed in _parsed_student_cells(nb):
        flag = _flagger(findings, parsed)
        spaces = _namespace_aliases(parsed.tree)
        for node in ast.walk(parsed.tree):
            _visit(node, flag, every.modules, locked)
            _namespace_write(node, flag, every.modules, spaces)
    findings += _derivation_findings(nb, every, star)
    return findings


def _visit(node, flag, modules, locked: _Aliases):
    if isinstance(node, ast.Attribute) and node.attr in HOOK_ATTRIBUTES and not (
            node.attr in ("displayhook", "excepthook") and not isinstance(node.ctx, ast.Store)):
        flag(node, HOOK_ATTRIBUTES[node.attr])
    elif isinstance(node, ast.Call):
        name = _dotted(node.func) or ""
        last = name.split(".")[-1]
        if last == "register" and ".events" in "." + name:
            flag(node, "registers an IPython event hook (pre_run_cell and the like run around the tests)")
        elif last == "reload" or name.endswith("reload_module"):
            flag(node, "reloads a module")
        elif name in DYNAMIC:
            flag(node, "runs code built at run time, which this scan cannot read")
        elif last in ("run_line_magic", "run_cell_magic", "magic") and node.args and isinstance(
                node.args[0], ast.Constant) and str(node.args[0].value).split(" ")[0] in MAGICS:
            flag(node, f"runs the %{str(node.args[0].value).split(' ')[0]} magic")
        elif name in ("setattr", "delattr") and node.args:
            target = _watched(_dotted(node.args[0]), modules)
            if target or (_dotted(node.args[0]) or "").endswith("modules"):
                flag(node, f"rebinds an attribute of {target or 'sys.modules'}")
        elif last in ("update", "setdefault", "pop", "__setitem__") and (
                name.startswith("sys.modules") or ".__dict__" in name or name.startswith("vars(")):
            flag(node, "edits a module's namespace")
    elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        for target in targets:
            for leaf in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]):
                _assigned(leaf, node, flag, modules, locked)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        if node.name in locked.bound:
            flag(node, f"redefines `{node.name}`, which the course's cells provide ({locked.bound[node.name]})")
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        mine = _Aliases()
        mine.visit(node)
        for name, how in mine.bound.items():
            if (name in locked.bound and locked.bound[name] != how
                    and not locked.bound[name].startswith(("def", "class"))):
                flag(node, f"rebinds `{name}`, which the course's cells import ({locked.bound[name]})")
    elif isinstance(node, ast.Name) and node.id == "__builtins__":
        flag(node, "touches __builtins__")


def _assigned(leaf, node, flag, modules, locked: _Aliases):
    if isinstance(leaf, ast.Name):
        if leaf.id in locked.bound:
            flag(node, f"rebinds `{leaf.id}`, which the course's cells provide ({locked.bound[leaf.id]})")
        return
    if isinstance(leaf, (ast.Attribute, ast.Subscript)):
        name = _dotted(leaf if isinstance(leaf, ast.Attribute) else leaf.value) or ""
        if name.startswith("sys.modules") or (isinstance(leaf, ast.Subscript) and name.endswith("modules")):
            flag(node, "replaces a module in sys.modules")
            return
        if name.endswith("__dict__") or name.startswith("vars("):
            flag(node, "edits a module's namespace")
            return
        target = _watched(name, modules)
        if target and "." in target:
            flag(node, f"rebinds {target}")
        elif isinstance(_root(leaf), ast.Name) and _root(leaf).id in locked.bound and isinstance(leaf, ast.Attribute):
            flag(node, f"changes `{_dotted(leaf)}`, which belongs to the course's cells")


# -- writes into a namespace --------------------------------------------------------------------------------------
def _namespace_aliases(tree) -> tuple[set[str], set[str]]:
    """Names a cell binds to a namespace dict (``g = globals()``) and to a module object (``m = sys.modules[...]``)."""
    dicts, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if _namespace_expr(node.value, dicts):
                dicts.add(node.targets[0].id)
            elif _module_expr(node.value, {}, modules):
                modules.add(node.targets[0].id)
    return dicts, modules


def _namespace_expr(node, dicts) -> str | None:
    """``globals()``, ``vars(...)``, ``locals()``, ``X.__dict__`` or a name bound to one of them."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in NAMESPACES:
        return f"{node.func.id}()"
    if isinstance(node, ast.Attribute) and node.attr == "__dict__":
        return ast.unparse(node)
    if isinstance(node, ast.Name) and node.id in dicts:
        return f"{node.id} (a namespace)"
    return None


def _module_expr(node, modules, module_names) -> str | None:
    """``sys.modules[...]``, ``sys.modules.get(...)``, ``importlib.import_module(...)``, ``__main__``, a module
    alias."""
    if isinstance(node, ast.Subscript) and (_dotted(node.value) or "").endswith("modules"):
        return "sys.modules[...]"
    if isinstance(node, ast.Call):
        name = _dotted(node.func) or ""
        if name.endswith("modules.get") or name.split(".")[-1] == "import_module":
            return name + "(...)"
    if isinstance(node, ast.Name) and node.id in module_names:
        return node.id
    return None


def _namespace_write(node, flag, modules, spaces):
    dicts, module_names = spaces
    why = "a name built at run time can replace any function or check of the notebook"
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        for target in targets:
            for leaf in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]):
                if isinstance(leaf, ast.Subscript) and (where := _namespace_expr(leaf.value, dicts)):
                    seen = _dotted(leaf.value) or ""          # _assigned flags these already
                    if not (seen.endswith("__dict__") or seen.startswith(("vars(", "sys.modules"))):
                        flag(node, f"writes into the notebook's namespace through {where}: {why}")
                elif isinstance(leaf, ast.Attribute) and (where := _module_expr(leaf.value, {}, module_names)):
                    flag(node, f"rebinds `{leaf.attr}` on the module {where}: {why}")
    elif isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            where = _namespace_expr(node.func.value, dicts)
            seen = _dotted(node.func) or ""                     # _visit flags these already
            if where and not (".__dict__" in seen or seen.startswith(("vars(", "sys.modules"))):
                flag(node, f"writes into the notebook's namespace through {where}.{node.func.attr}(...): {why}")
        elif isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr") and node.args:
            where = _module_expr(node.args[0], {}, module_names)
            if where:
                flag(node, f"{node.func.id} on the module {where}: {why}")


# -- a backward pass that derives nothing ---------------------------------------------------------------------------
@dataclass
class _Unit:
    """A function of a student's cell (a top-level def, or a method), with what the scan learned about it."""
    label: str
    name: str
    node: ast.AST
    lines: list
    solution: bool
    numeric: list            # (node, what): uses of course.gradcheck's numeric differentiation
    differences: list        # (node, callees): hand-written difference quotients
    generic: bool            # every difference evaluates a function the unit receives as a parameter
    calls: set               # names of functions it calls
    shown: str = ""          # how messages name it ("MLP.loss_and_gradients" for a method)
    offset: int = 0          # blank lines IPython dropped at the top of the cell

    def __post_init__(self):
        self.shown = self.shown or self.name

    @property
    def graded(self) -> bool:
        lowered = self.name.lower()
        if lowered.startswith(("test", "check")):       # the student's own checks; a graded function calling
            return False                                # one is flagged at the call
        return "backward" in lowered or "grad" in lowered or self.solution


def _derivation_findings(nb, every: _Aliases, star: set) -> list[Finding]:
    aliases = dict(every.modules)
    steps = _small_constants(nb)
    units: list[_Unit] = []
    for parsed in _parsed_student_cells(nb):
        solution = cells.is_solution(parsed.cell)
        _value_aliases(parsed.tree, aliases)
        for node in parsed.tree.body:
            defs = [node] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else (
                [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
                if isinstance(node, ast.ClassDef) else [])
            for fn in defs:
                unit = _unit(parsed.label, fn, parsed.lines, solution, aliases, star, steps)
                unit.offset = parsed.offset
                if isinstance(node, ast.ClassDef):
                    unit.shown = f"{node.name}.{fn.name}"
                units.append(unit)
    by_name = {u.name: u for u in units}
    findings = []

    def line(unit, node):
        return unit.lines[node.lineno - 1].strip()[:120] if 0 < node.lineno <= len(unit.lines) else ""

    for unit in units:
        if not unit.graded:
            continue
        for node, what in unit.numeric:
            findings.append(Finding(unit.label, node.lineno + unit.offset, line(unit, node),
                                    f"`{unit.shown}` uses {_course(what)}: a numeric gradient, not a derived one"))
        if unit.differences and (not unit.generic or "backward" in unit.name.lower()):
            node, callees = unit.differences[0]
            of = f" of {', '.join(f'`{c}`' for c in callees)}" if callees else ""
            findings.append(Finding(unit.label, node.lineno + unit.offset, line(unit, node),
                                    f"`{unit.shown}` computes central differences{of} by hand (a step h, a "
                                    "difference of two evaluations divided by 2h): a numeric gradient, not a "
                                    "derived one"))
        for helper_name, node in _helpers_called(unit, by_name):
            helper = by_name[helper_name]
            what = _course(helper.numeric[0][1]) if helper.numeric else "central differences"
            findings.append(Finding(unit.label, node.lineno + unit.offset, line(unit, node),
                                    f"`{unit.shown}` calls `{helper.shown}`, which computes {what} (a numeric "
                                    "gradient, not a derived one)"))
    return findings


def _course(what: str) -> str:
    """"numeric_gradient" -> "course.gradcheck's numeric_gradient"; "graph.numeric_local" -> "course.graph's ..."."""
    module, _, name = what.rpartition(".")
    return f"course.{module or 'gradcheck'}'s {name}"


def _flagged_alone(unit) -> bool:
    return unit.graded and bool(unit.numeric or (unit.differences and (
        not unit.generic or "backward" in unit.name.lower())))


def _helpers_called(unit, by_name):
    """(helper, call node) for the student's functions that unit calls, directly or not, which differentiate
    numerically."""
    out, seen = [], {unit.name}
    for call in (n for n in ast.walk(unit.node) if isinstance(n, ast.Call)):
        name = call.func.id if isinstance(call.func, ast.Name) else None
        if name is None or name in seen or name not in by_name:
            continue
        seen.add(name)
        stack, reached = [name], set()
        while stack:
            current = stack.pop()
            if current in reached or current == unit.name:
                continue
            reached.add(current)
            helper = by_name[current]
            if _flagged_alone(helper):     # flagged on its own; a caller of it is not flagged again
                continue
            if helper.numeric or helper.differences:
                out.append((current, call))
                break
            stack += [c for c in helper.calls if c in by_name]
    return out


def _value_aliases(tree, aliases):
    """``ng = numeric_gradient_array`` or ``g = course.gradcheck`` at the top of a cell: one more name for it."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            full = _resolve(node.value, aliases, set())
            if full and full.startswith(tuple(NUMERIC)):
                aliases[node.targets[0].id] = full


def _resolve(node, aliases, star) -> str | None:
    """The dotted path a name or attribute refers to through the imports (``_gc.numeric_gradient`` -> course...)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" and \
            len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
        base = _resolve(node.args[0], aliases, star)
        return f"{base}.{node.args[1].value}" if base else None
    name = _dotted(node)
    if not name or "()" in name:
        return None
    root, *rest = name.split(".")
    if root in aliases:
        return ".".join([aliases[root], *rest])
    for module in star:
        if root in NUMERIC[module]:
            return ".".join([module, root, *rest])
    return None


def _numeric_use(node, aliases, star) -> str | None:
    full = _resolve(node, aliases, star)
    if not full:
        return None
    module, _, rest = full.rpartition(".")
    if rest in NUMERIC.get(module, ()):
        return f"{module.split('.')[-1]}.{rest}" if module != "course.gradcheck" else rest
    return None


def _small_constants(nb) -> set[str]:
    """Names the student's cells bind (an assignment or a parameter default) to a small positive constant (h = 1e-5)."""
    names = set()
    for _, cell in student_cells(nb):
        tree = _tree(cell)
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.Assign) and _is_small(node.value):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.arguments):
                positional = node.posonlyargs + node.args
                for arg, default in zip(positional[len(positional) - len(node.defaults):], node.defaults):
                    if _is_small(default):
                        names.add(arg.arg)
                for arg, default in zip(node.kwonlyargs, node.kw_defaults):
                    if default is not None and _is_small(default):
                        names.add(arg.arg)
    return names


def _is_small(node) -> bool:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.Mult, ast.Div)):
            try:
                value = eval(compile(ast.Expression(node), "<step>", "eval"), {"__builtins__": {}})
            except Exception:
                return False
        else:
            return False
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= SMALL_STEP


def _unit(label, fn, lines, solution, aliases, star, steps) -> _Unit:
    numeric, calls = [], set()
    for node in ast.walk(fn):
        if isinstance(node, (ast.Name, ast.Attribute, ast.Call)) and not isinstance(getattr(node, "ctx", None),
                                                                                     ast.Store):
            what = _numeric_use(node, aliases, star)
            if what and not (isinstance(node, ast.Attribute) and _numeric_use(node.value, aliases, star)):
                numeric.append((node, what))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls.add(node.func.id)
    # one finding per line
    numeric = list({n.lineno: (n, w) for n, w in reversed(numeric)}.values())[::-1]
    params = _parameters(fn)
    differences, generic = [], True
    for node, step in _difference_quotients(fn, steps):
        if not _perturbs(fn, step, steps, node):
            continue
        callees = _evaluated(node, fn)
        differences.append((node, [c for c in callees if c not in params]))
        if any(c not in params for c in callees) or not callees:
            generic = False
    return _Unit(label, fn.name, fn, lines, solution, numeric, differences, generic and bool(differences), calls)


def _parameters(fn) -> set[str]:
    a = fn.args
    return {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs} | {x.arg for x in (a.vararg, a.kwarg) if x}


def _step_of(node, steps):
    """The step h of a denominator h, 2*h, h*2, (h + h), 2.0 * h, or a small constant (2e-5); else None."""
    if isinstance(node, ast.Name) and (node.id in steps or node.id in STEP_NAMES):
        return node.id
    if isinstance(node, ast.Attribute) and node.attr in STEP_NAMES:
        return _dotted(node)
    if _is_small(node):
        return "<constant>"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for factor, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(factor, ast.Constant) and isinstance(factor.value, (int, float)):
                return _step_of(other, steps)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and ast.dump(node.left) == ast.dump(node.right):
        return _step_of(node.left, steps)
    return None


def _difference_quotients(fn, steps):
    """(node, step) for every ``(a - b) / step`` in fn (also ``0.5 * (a - b) / h``, ``(a - b) / 2 / h``, ``d / h``
    with d bound to a difference)."""
    differences = {t.id for n in ast.walk(fn) if isinstance(n, ast.Assign) and isinstance(n.value, ast.BinOp)
                   and isinstance(n.value.op, ast.Sub) for t in n.targets if isinstance(t, ast.Name)}
    for node in ast.walk(fn):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            continue
        step = _step_of(node.right, steps)
        if step is None:
            continue
        left = node.left
        while isinstance(left, ast.BinOp) and (
                (isinstance(left.op, ast.Div) and isinstance(left.right, ast.Constant)) or
                (isinstance(left.op, ast.Mult) and isinstance(left.left, ast.Constant))):
            left = left.left if isinstance(left.op, ast.Div) else left.right
        called = (_dotted(left.func) or "").split(".")[-1] if isinstance(left, ast.Call) else ""
        if isinstance(left, ast.Call) and left.args and called in ("sum", "ravel", "reshape"):
            left = left.args[0]          # np.sum((plus - minus) * dout) / (2 * h)
        if isinstance(left, ast.BinOp) and isinstance(left.op, ast.Mult):
            left = left.left if isinstance(left.left, ast.BinOp) else left.right
        if (isinstance(left, ast.BinOp) and isinstance(left.op, (ast.Sub, ast.Add))) or (
                isinstance(left, ast.Name) and left.id in differences):     # f(x+h) - f(x-h), -ln(up) + ln(down)
            yield node, step


def _perturbs(fn, step, steps, quotient) -> bool:
    """Somewhere in fn (outside the quotient's denominator) a value is moved by the step: x + h, old - h, x[i] += h."""
    denominator = {id(n) for n in ast.walk(quotient.right) if isinstance(n, ast.expr)}   # not the shared ast.Load()

    def has_step(expr):
        for n in ast.walk(expr):
            if step == "<constant>" and _is_small(n):
                return True
            if isinstance(n, ast.Name) and n.id == step:
                return True
            if isinstance(n, ast.Attribute) and _dotted(n) == step:
                return True
        return False

    for node in ast.walk(fn):
        if id(node) in denominator:
            continue
        if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)) and has_step(node.value):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and (
                has_step(node.left) or has_step(node.right)):
            if not any(id(n) in denominator for n in ast.walk(node) if isinstance(n, ast.expr)):
                return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets) and \
                isinstance(node.value, (ast.Name, ast.Constant)) and has_step(node.value):
            return True                   # step[0, j] = h
    return False


def _evaluated(quotient, fn) -> list[str]:
    """The functions whose values the difference compares (``fc_forward`` in ``(fc_forward(a) - fc_forward(b))``),
    following names bound to calls in fn (``up = np.sum(fc_forward(...) * dz)``)."""
    bound = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    bound.setdefault(t.id, []).append(node.value)
    names, seen = [], set()

    def visit(expr, depth):
        for n in ast.walk(expr):
            if isinstance(n, ast.Call):
                callee = _dotted(n.func) or ""
                root = callee.split(".")[0]
                if callee and root not in ("np", "numpy", "math", "float", "sum", "abs", "max", "min", "len") and \
                        callee not in names and "." not in callee:
                    names.append(callee)
            elif isinstance(n, ast.Name) and n.id in bound and n.id not in seen and depth < 3:
                seen.add(n.id)
                for value in bound[n.id]:
                    visit(value, depth + 1)

    visit(quotient.left, 0)
    return names
