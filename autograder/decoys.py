"""Decoy test cells: copies of real hidden tests with a false assertion hidden inside, planted next to the real
ones. The kernel belongs to the student and can forge its own test results (an input transformer that turns
every cell with ``assert`` into ``pass`` gets full marks from plain nbgrader). A decoy must fail; one that
passes shows the kernel is not reporting honestly, and the submission gets no autograded points.

The kernel sees only code, so a decoy has to look like the tests around it: it is the real cell's code with
one more assertion, written like the course's own, among the hidden statements at a random place. Every cell
id is replaced by a random one before execution (nbclient sends ids to the kernel), and the decoys are taken out
of the notebook before anything is saved or shown.
"""
from __future__ import annotations

import ast
import copy
import random

from . import cells

BEGIN, END = cells.HIDDEN
MESSAGES = ["values differ from the expected ones", "wrong value", "gradient does not match",
            "check your computation"]


def candidates(nb) -> list[int]:
    """Indices of the graded test cells a decoy can copy: locked code grade cells with hidden tests."""
    return [i for i, cell in enumerate(nb.cells)
            if cells.is_autograded_test(cell) and BEGIN in cell.source and END in cell.source]


def _messages(tree) -> list[str]:
    return [node.msg.value for node in ast.walk(tree)
            if isinstance(node, ast.Assert) and isinstance(node.msg, ast.Constant) and isinstance(node.msg.value, str)]


def decoy_source(source: str, rng: random.Random) -> str:
    """``source`` with a false assertion inserted before a random top-level statement of its hidden block."""
    lines = source.split("\n")
    begin = next(i for i, line in enumerate(lines) if BEGIN in line)
    end = next(i for i, line in enumerate(lines) if END in line)
    try:
        tree = ast.parse(source)
        spots = [s.lineno - 1 for s in tree.body if begin < s.lineno - 1 < end] + [end]
        messages = _messages(tree)
    except SyntaxError:
        spots, messages = [begin + 1], []
    at = rng.choice(spots)
    expected = round(rng.uniform(0.1, 10), rng.randint(3, 6))
    got = round(expected * rng.choice([-1, 2, 0.5, 1.5]) + rng.choice([-1, 1]) * 0.25, 6)
    message = rng.choice(messages or MESSAGES)
    line = f"assert abs({got!r} - {expected!r}) <= 1e-07 * abs({expected!r}), {message!r}"
    return "\n".join(lines[:at] + [line] + lines[at:])


def plant(nb, rng: random.Random, count: int) -> tuple[object, list[int]]:
    """A copy of ``nb`` with ``count`` decoys (each right after the test it copies) and every cell id replaced
    by a random one; and the indices of the decoys in it."""
    nb = copy.deepcopy(nb)
    chosen = sorted(rng.sample(candidates(nb), min(count, len(candidates(nb)))), reverse=True)
    for index in chosen:
        decoy = copy.deepcopy(nb.cells[index])
        decoy.source = decoy_source(decoy.source, rng)
        nb.cells.insert(index + 1, decoy)
    for cell in nb.cells:
        cell["id"] = "%08x" % rng.getrandbits(32)
    decoys = []
    for index in sorted(chosen):
        decoys.append(index + 1 + len(decoys))
    return nb, decoys


def remove(nb, decoys: list[int], status: list) -> tuple[object, list, list[str]]:
    """``nb`` and ``status`` without the decoy cells, and the statuses the decoys got."""
    keep = [i for i in range(len(nb.cells)) if i not in set(decoys)]
    verdicts = [status[i] for i in decoys]
    nb = copy.copy(nb)
    nb.cells = [nb.cells[i] for i in keep]
    return nb, [status[i] for i in keep], verdicts
