"""Wrong-but-plausible and correct variants of every graded function, graded by the real hidden tests.

Layout: ``tests/variants/<assignment>/<name>/{wrong,right}_<what>.py``, where ``<name>`` is the grade_id of an
autograded solution cell: the name of the function it defines (a format test makes them equal), or the cell's
grade_id when it sets values. The file's text replaces that cell, and the source notebook, hidden tests included,
runs as nbgrader's autograde would.

- a ``wrong_*`` variant must fail at least one graded cell whose grade_id starts with ``<name>`` (the points of
  that function). Header lines tighten this: ``# expect-fail: <grade_id> [<grade_id> ...]`` names cells that
  must fail; ``# expect-message: <text>`` (repeatable) must appear in the failure message of one of them — the
  student is told the likely mistake.
- a ``right_*`` variant must pass every graded cell of the notebook.

A variant that differs from the reference by a line or two is written as patches on the reference cell instead
of a copy of it: ``# patch: <text> -> <replacement>`` lines (and no code). Each <text> must occur exactly once
in the reference cell, so a variant fails loudly when the solution changes under it.
"""
from __future__ import annotations

import pytest

from autograder import cells
from support import nbrun
from support.courses import ASSIGNMENTS


def _variants():
    for assignment in ASSIGNMENTS:
        if not assignment.variants.is_dir():
            continue
        for path in sorted(assignment.variants.glob("*/*.py")):
            if path.name.startswith(("wrong_", "right_")):
                yield pytest.param(assignment, path, id=f"{assignment.name}/{path.parent.name}/{path.stem}")


def _graded_functions(assignment) -> dict[str, str]:
    """function name -> grade_id of the solution cell that defines it."""
    return {name: cells.grade_id(c) for c in assignment.source().cells if cells.is_autograded_solution(c)
            for name in cells.defined_functions(c.source)}


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_every_graded_function_has_wrong_and_right_variants(assignment):
    missing = []
    for name in sorted(_graded_functions(assignment)):
        folder = assignment.variants / name
        for kind in ("wrong", "right"):
            if not list(folder.glob(f"{kind}_*.py")):
                missing.append(f"{folder.relative_to(assignment.root)}/{kind}_*.py")
    assert not missing, "graded functions without variants: " + ", ".join(missing)


@pytest.mark.parametrize("assignment, path", list(_variants()))
def test_variant(assignment, path):
    name, text = path.parent.name, path.read_text()
    source = assignment.source()
    original = next(c for c in source.cells if cells.is_autograded_solution(c) and cells.grade_id(c) == name)
    expect_fail, messages = nbrun.headers(text, "expect-fail"), nbrun.headers(text, "expect-message")
    text = nbrun.variant_source(original.source, text)
    missing = cells.defined_names(original.source) - cells.defined_names(text)
    assert not missing, f"{path.name} must also define {sorted(missing)} (it replaces the whole cell)"
    # Run up to the last graded cell that the verdict reads (the cells after it cannot change it): every graded
    # cell for a right variant, this function's cells and the expected failures for a wrong one.
    wanted = set(" ".join(expect_fail).split())
    reads = [i for i, c in enumerate(source.cells) if cells.is_autograded_test(c) and (
        path.name.startswith("right_") or cells.grade_id(c).startswith(name) or cells.grade_id(c) in wanted)]
    # The cells before this one are the same for every variant of it: they run once per test process
    # (nbrun's snapshots), and each variant runs from there.
    result = nbrun.run(nbrun.with_cell(source, name, text), assignment.source_path.parent,
                       until=max(reads, default=None), resume_at=source.cells.index(original))
    failed = result.failed()
    if path.name.startswith("right_"):
        assert not failed, f"a correct variant lost points: {failed}"
        return
    own = {gid: msg for gid, msg in failed.items() if gid.startswith(name)}
    assert own, (f"the hidden tests accept this wrong {name}: no graded cell {name}* failed "
                 f"(cells: {sorted(result.graded)})")
    for gid in " ".join(expect_fail).split():
        assert gid in failed, f"{gid} should fail for this variant; failures: {failed}"
    for needle in messages:
        assert any(needle in msg for msg in own.values()), \
            f"no failure message of {sorted(own)} says {needle!r}: {own}"


def _french_sample():
    """Three wrong variants of each assignment that has a French catalogue (the first, one in the middle, the last)."""
    for assignment in ASSIGNMENTS:
        if not (assignment.root / "locale" / "fr" / f"{assignment.name}.po").is_file():
            continue
        wrongs = sorted(assignment.variants.glob("*/wrong_*.py"))
        for path in dict.fromkeys([wrongs[0], wrongs[len(wrongs) // 2], wrongs[-1]]):
            yield pytest.param(assignment, path, id=f"{assignment.name}/{path.parent.name}/{path.stem}")


@pytest.mark.parametrize("assignment, path", list(_french_sample()))
def test_a_wrong_variant_scores_the_same_in_french(assignment, path):
    """The same wrong code in the French edition (the source translated: hidden tests in, their messages in French):
    every graded cell passes or fails as in English, for the same score, and the messages are the French ones (run up
    to this function's last graded cell, as test_variant does)."""
    from autograder import translate

    name, source = path.parent.name, assignment.source()
    original = next(c for c in source.cells if cells.is_autograded_solution(c) and cells.grade_id(c) == name)
    text = nbrun.variant_source(original.source, path.read_text())
    french = translate.translate_notebook(source, translate.Translations.load(assignment.root, assignment.name, "fr"))
    until = max(i for i, c in enumerate(source.cells)
                if cells.is_autograded_test(c) and cells.grade_id(c).startswith(name))
    at = source.cells.index(original)
    runs = {language: nbrun.run(nbrun.with_cell(nb, name, text), assignment.source_path.parent, until=until,
                                resume_at=at)
            for language, nb in (("en", source), ("fr", french))}
    passed = {language: {gid: c.passed for gid, c in run.graded.items()} for language, run in runs.items()}
    assert passed["fr"] == passed["en"]
    assert runs["fr"].score() == runs["en"].score()
    english, translated = runs["en"].failed(), runs["fr"].failed()
    assert english, "the wrong variant fails nothing"
    assert any(translated[gid] != english[gid] for gid in english), f"the French messages are the English: {english}"
