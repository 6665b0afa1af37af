"""What nbgrader's cell metadata says, and which lines of a source notebook are secret: the autograder reads
cell metadata and region markers only through this module.

Cell kinds (nbgrader metadata schema 3):

- *solution* cell: ``solution: true``; the student writes here. Autograded when ``grade`` is false (code the
  tests call), manually graded when ``grade`` is true (a written answer, with points).
- *graded test* cell: ``grade: true, solution: false``, locked, with points: visible asserts, then the hidden
  block that nbgrader removes from the release.
- *locked* cell: ``locked: true``; the student cannot edit it (setup, explanations).

Secret lines are what the release must never contain: the inside of ``### BEGIN SOLUTION`` /
``### END SOLUTION`` regions (or the whole source of a solution cell without such a region, which nbgrader
replaces whole), of ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` and of ``### BEGIN MARK SCHEME`` /
``### END MARK SCHEME``.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterable

import nbformat

# The markers nbgrader looks for (anywhere in a line; the course writes them as ``### BEGIN SOLUTION``).
SOLUTION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
MARK_SCHEME = ("BEGIN MARK SCHEME", "END MARK SCHEME")
REGIONS = (SOLUTION, HIDDEN, MARK_SCHEME)
HIDDEN_TESTS = (HIDDEN,)


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_solution(cell) -> bool:
    return bool(meta(cell).get("solution"))


def is_graded(cell) -> bool:
    return bool(meta(cell).get("grade"))


def new_graded_cell(cell_type: str, source: str, grade_id: str, points: float, *, solution: bool,
                    checksum: str | None = None):
    """A new graded cell (schema 3): a written answer (``solution``) or a locked test cell."""
    cell = (nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell)(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": solution, "locked": not solution, "grade_id": grade_id,
                                 "points": points, "schema_version": 3}
    if checksum is not None:
        cell.metadata["nbgrader"]["checksum"] = checksum
    return cell


def is_locked(cell) -> bool:
    """Whether the student cannot edit ``cell`` (nbgrader's rule): a graded test cell, or a cell marked locked;
    never a solution cell."""
    return not is_solution(cell) and (is_graded(cell) or bool(meta(cell).get("locked")))


def is_autograded_test(cell) -> bool:
    """A code cell with points that nbgrader runs to grade (a test cell)."""
    return cell["cell_type"] == "code" and is_graded(cell) and not is_solution(cell)


def is_autograded_solution(cell) -> bool:
    """A code cell the student fills and the test cells check."""
    return cell["cell_type"] == "code" and is_solution(cell) and not is_graded(cell)


def is_manual_answer(cell) -> bool:
    """A written answer (or code) graded by hand."""
    return is_solution(cell) and is_graded(cell)


def grade_id(cell) -> str | None:
    return meta(cell).get("grade_id")


def points(cell) -> float:
    return float(meta(cell).get("points", 0) or 0)


def secret_lines(cell, regions: tuple[tuple[str, str], ...] = REGIONS) -> list[tuple[int, str]]:
    """(line number from 1, text) of every line of ``cell`` inside one of ``regions`` (by default: every line
    that must not reach the release)."""
    lines = cell["source"].split("\n")
    if regions == REGIONS and is_solution(cell) and not any(b in line for line in lines for b, _ in REGIONS):
        return list(enumerate(lines, start=1))
    secret, inside = [], None
    for number, line in enumerate(lines, start=1):
        if inside is None:
            inside = next((end for begin, end in regions if begin in line), None)
        elif inside in line:
            inside = None
        else:
            secret.append((number, line))
    return secret


def public_lines(cell) -> set[str]:
    """Stripped lines of ``cell`` that the release shows anyway (outside every secret region)."""
    secret_numbers = {n for n, _ in secret_lines(cell)}
    return {line.strip() for n, line in enumerate(cell["source"].split("\n"), start=1)
            if n not in secret_numbers}


def protected_lines(nb, regions: tuple[tuple[str, str], ...] = REGIONS) -> set[str]:
    """Stripped secret lines of ``nb`` (inside ``regions``; by default every secret region) that no public line of
    the notebook shows and that are worth protecting: not blank, not a lone keyword any code has."""
    public = set().union(*(public_lines(c) for c in nb.cells))
    secret = {line.strip() for c in nb.cells for _, line in secret_lines(c, regions)}
    return {s for s in secret if s not in public and _meaningful(s)}


def hidden_test_lines(nb, public: Iterable[str] = ()) -> dict[str, str]:
    """The hidden-test lines of ``nb`` that a student's feedback must never show, each with where it stands
    ("cell fc_backward_dW, line 7"). A line is left out when it is no secret: when it also stands in a public line
    of ``nb`` or in one of ``public`` (the released notebook, the student's own cells: ``return d`` stands in
    ``return dx``), or when it is too short to give a test away (see ``worth_protecting``)."""
    shown = [line.strip() for line in public] + sorted(set().union(*(public_lines(c) for c in nb.cells)))
    hidden = {}
    for cell in nb.cells:
        for number, line in secret_lines(cell, HIDDEN_TESTS):
            text = line.strip()
            if text not in hidden and worth_protecting(text) and not any(text in other for other in shown):
                hidden[text] = f"cell {grade_id(cell) or cell.get('id', '?')}, line {number}"
    return hidden


def source_lines(nb, which) -> list[str]:
    """Every line of the cells of ``nb`` for which ``which(cell)`` holds."""
    return [line for cell in nb.cells if which(cell) for line in cell["source"].split("\n")]


def is_students(cell) -> bool:
    """A cell whose source is the student's: a solution cell, or a cell the student added."""
    return is_solution(cell) or not meta(cell)


WORDS = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d*)?|\"[^\"]*\"|'[^']*'")
LEAK_MIN_CHARS, LEAK_MIN_WORDS = 12, 3


def worth_protecting(line: str) -> bool:
    """A line long enough to give a hidden test away: at least 12 characters and 3 words (names, numbers or
    strings). ``return d`` or ``hints=H)`` could stand in any code and prove nothing."""
    return len(line) >= LEAK_MIN_CHARS and len(WORDS.findall(line)) >= LEAK_MIN_WORDS


def _meaningful(line: str) -> bool:
    return len(line) > 3 and line not in {"pass", "else:", "try:", "return", "break", "continue"}


def defined_names(source: str) -> set[str]:
    """Top-level names a code cell defines (functions, classes, assigned variables); none when it does not parse
    (a SyntaxError, or Python 3.11's ValueError for a null byte)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def defined_functions(source: str) -> set[str]:
    """Top-level functions and classes a code cell defines."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def used_names(source: str) -> set[str]:
    """Every name a code cell reads."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
