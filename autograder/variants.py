"""Variants of a graded function: files that stand for what a student might write in one answer cell.

A folder of variants (the caller names it: the course keeps its own in ``tests/variants``, the fixture course in
``variants``) holds ``<assignment>/<grade_id>/{wrong,right}_<what>.py``; ``<grade_id>`` is the answer cell the
file replaces. A file is the cell's new code, or only ``# patch: <text> -> <replacement>`` lines, applied to the
reference answer of the source notebook. Other ``# key: value`` lines (``expect-fail``, ``expect-message``) say
what the hidden tests must answer. ``bench`` hands wrong variants in as submissions; the tests grade them all.
"""
from __future__ import annotations

import copy
from pathlib import Path

from . import cells


def headers(text: str, key: str) -> list[str]:
    """The values of the ``# key: value`` lines of a variant file."""
    prefix = f"# {key}:"
    return [line[len(prefix):].strip() for line in text.splitlines() if line.startswith(prefix)]


def variant_source(reference: str, text: str) -> str:
    """What a variant file puts in the student's cell: its own code, or, for a file of ``# patch: <text> ->
    <replacement>`` lines, the reference cell with each patch applied (each <text> must occur exactly once)."""
    patches = headers(text, "patch")
    if not patches:
        return text
    if not all(not line.strip() or line.startswith("#") for line in text.splitlines()):
        raise ValueError("a patch variant holds only comment lines")
    patched = reference
    for patch in patches:
        old, sep, new = patch.partition(" -> ")
        if not sep:
            raise ValueError(f"a patch line reads '# patch: <text> -> <replacement>', got {patch!r}")
        if patched.count(old) != 1:
            raise ValueError(f"the reference cell has {patched.count(old)} occurrences of {old!r}")
        patched = patched.replace(old, new)
    if patched == reference:
        raise ValueError("the patches leave the reference unchanged")
    return patched


def wrong_variants(folder: Path | None, assignment: str, source_nb) -> list[Path]:
    """The ``wrong_*.py`` files of ``assignment`` in ``folder`` whose grade_id is an autograded answer cell of the
    source notebook (none when there is no folder)."""
    if folder is None or not (folder / assignment).is_dir():
        return []
    ids = {cells.grade_id(c) for c in source_nb.cells if cells.is_autograded_solution(c)}
    return [p for p in sorted((folder / assignment).glob("*/wrong_*.py")) if p.parent.name in ids]


def with_cell(nb, name: str, new_source: str):
    """A copy of ``nb`` where the autograded solution cell ``name`` (its grade_id, which for a cell that defines
    a function is the function's name) has ``new_source``."""
    nb = copy.deepcopy(nb)
    matches = [c for c in nb.cells if cells.is_autograded_solution(c) and cells.grade_id(c) == name]
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} solution cells have grade_id {name!r}; expected exactly one")
    matches[0].source = new_source
    return nb
