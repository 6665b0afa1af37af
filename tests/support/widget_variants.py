"""The students' functions of the widget tests, taken from tests/variants: the wrong-but-plausible (and right)
versions that test_variants.py grades with the real hidden tests, so a widget is shown the very mistakes the grader
rejects, not copies of them.

``student("02_fully_connected", "fc_backward", "wrong_dW_transposed")`` runs the variant's code (a patch variant
is applied to the source notebook's solution cell first) in a namespace with numpy and math, plus the notebook's
functions it needs (``needs``), and returns the function it defines.
"""
from __future__ import annotations

import math
from functools import cache

import nbformat
import numpy as np

from autograder import cells, coursedir
from support import nbrun
from support.courses import REPO

VARIANTS = REPO / "tests" / "variants"


@cache
def _solution(assignment: str, grade_id: str) -> str:
    notebook = nbformat.read(coursedir.source_notebook(REPO, assignment), as_version=4)
    return next(c.source for c in notebook.cells if cells.grade_id(c) == grade_id)


def student(assignment: str, grade_id: str, variant: str, name: str | None = None, **needs):
    """The function ``name`` (default: ``grade_id``) defined by tests/variants/<assignment>/<grade_id>/<variant>.py;
    ``needs``: names the variant's code uses from the notebook (e.g. ``softmax=softmax``)."""
    path = VARIANTS / assignment / grade_id / f"{variant}.py"
    code = nbrun.variant_source(_solution(assignment, grade_id), path.read_text())
    namespace = {"np": np, "math": math, **needs}
    exec(compile(code, str(path), "exec"), namespace)  # noqa: S102 - the course's own test variants
    return namespace[name or grade_id]
