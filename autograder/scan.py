"""Read the student's own cells for code that tampers with how the kernel runs or reports the tests.

Nothing here changes a score: a finding is a flag for the teacher, with the cell and the line. What is looked
for: IPython hooks and transformers (they can rewrite or skip the test cells), replaced error reporting
(``showtraceback``, ``set_custom_exc``, ``sys.excepthook``), attributes of numpy, ``course``, builtins, sys or
IPython rebound (``np.allclose = lambda *a, **k: True``), ``sys.modules`` edited, modules reloaded, a name the
tests use (imported or defined by a locked cell) redefined, and code built at run time (``exec``), which would
hide all of the above from this scan.

The student's cells are the solution cells and any cell the student added; locked cells are the course's and
are not read (hidden tests legitimately swap reference layers).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from IPython.core.inputtransformer2 import TransformerManager
from nbgrader import utils as nbutils

WATCHED_MODULES = ("numpy", "course", "builtins", "sys", "IPython", "math", "random", "os")
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
MAGICS = {"load_ext", "reload_ext", "autoreload", "run", "aimport"}


@dataclass(frozen=True)
class Finding:
    cell: str
    line: int
    code: str
    why: str

    def __str__(self) -> str:
        return f"{self.cell}, line {self.line}: `{self.code}` -- {self.why}"


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

    def visit_Import(self, node):
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            self.modules[name] = alias.name if alias.asname else alias.name.split(".")[0]
            self.bound[name] = f"import {alias.name}"

    def visit_ImportFrom(self, node):
        for alias in node.names:
            name = alias.asname or alias.name
            self.modules[name] = f"{node.module}.{alias.name}"
            self.bound[name] = f"from {node.module} import {alias.name}"

    def visit_FunctionDef(self, node):
        self.bound[node.name] = f"def {node.name}"

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
        if cell.cell_type != "code" or (nbutils.is_locked(cell) and not nbutils.is_solution(cell)):
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        out.append((f"cell `{grade_id}`" if grade_id else f"cell {index + 1} (added by the student)", cell))
    return out


def scan(nb) -> list[Finding]:
    """Findings in the student's cells of ``nb`` (the notebook as submitted, before any cell is restored)."""
    locked = _Aliases()
    every = _Aliases()
    for cell in nb.cells:
        tree = _tree(cell) if cell.cell_type == "code" else None
        if tree is None:
            continue
        every.visit(tree)
        if nbutils.is_locked(cell) and not nbutils.is_solution(cell):
            locked.visit(tree)
    findings: list[Finding] = []
    for label, cell in student_cells(nb):
        tree = _tree(cell)
        if tree is None:
            continue
        lines = _python(cell.source).splitlines()

        def flag(node, why):
            code = lines[node.lineno - 1].strip() if 0 < node.lineno <= len(lines) else ""
            findings.append(Finding(label, node.lineno, code[:120], why))

        for node in ast.walk(tree):
            _visit(node, flag, every.modules, locked)
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
            if name in locked.bound and locked.bound[name] != how and not locked.bound[name].startswith(("def", "class")):
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
