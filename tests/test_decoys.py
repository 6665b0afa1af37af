"""Decoy tests (autograder/decoys.py): copies of real hidden tests with one false assertion, planted among the
real ones, removed again after the run, different for each submission."""
from __future__ import annotations

import ast
import random

import pytest

from autograder import decoys
from support.courses import ASSIGNMENTS, FIXTURE


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=str)
def test_decoys_copy_real_tests_with_one_false_assertion(assignment):
    nb = assignment.source()
    planted, where = decoys.plant(nb, random.Random(1), 3)
    assert len(where) == min(3, len(decoys.candidates(nb)))
    assert len(planted.cells) == len(nb.cells) + len(where)
    for index in where:
        original, decoy = planted.cells[index - 1].source, planted.cells[index].source
        added = [line for line in decoy.split("\n") if line not in original.split("\n")]
        assert len(added) == 1 and added[0].startswith("assert abs(")
        begin, end = decoy.index(decoys.BEGIN), decoy.index(decoys.END)
        assert begin < decoy.index(added[0]) < end, "the false assertion sits among the hidden tests"
        test = ast.parse(added[0]).body[0].test
        assert not eval(compile(ast.Expression(test), "decoy", "eval")), "the planted assertion must be false"
    ids = [c["id"] for c in planted.cells]
    assert len(set(ids)) == len(ids) and not set(ids) & {c.get("id") for c in nb.cells}
    kept, status, verdicts = decoys.remove(planted, where, list(range(len(planted.cells))))
    assert [c.source for c in kept.cells] == [c.source for c in nb.cells] and verdicts == where


def test_decoys_differ_between_submissions():
    fixture = next(a for a in ASSIGNMENTS if a.name == FIXTURE).source()
    a, _ = decoys.plant(fixture, random.Random("one"), 2)
    b, _ = decoys.plant(fixture, random.Random("two"), 2)
    assert [c.source for c in a.cells] != [c.source for c in b.cells]
