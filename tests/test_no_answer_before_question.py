"""No release notebook states the value of a graded quantity before the cell that asks for it (issue 22 §5): 06's
timing cell once said "images of 50 × 50 pixels" cells before network_sizes asked for side_document.

Each entry: the cell that asks (by grade_id), and the forms its answer could take in prose or code. Read from the
release, what students see (markdown and code, comments included)."""
import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
TIMES = r"\s*(?:×|x|\\times|\*)\s*"
ANSWERS = {
    ("06_cnn", "network_sizes"): [            # side_document = 50, flat_digits = 72, n_params_digits = 810
        rf"\b50{TIMES}50\b", rf"\b48{TIMES}48\b", r"\b50 pixels", r"\bside_document\s*=\s*\d",
        rf"\b3{TIMES}3{TIMES}8\b", r"\b72\b", r"\b810\b"],
    ("01_computational_graph", "node_values"): [   # c = 8, d = 6, e = 48 at a = 3, b = 5
        r"\bc\s*=\s*8\b", r"\bd\s*=\s*6\b", r"\be\s*=\s*48\b", r"c_value\s*=\s*\d"],
    ("01_computational_graph", "chain_rule_several_paths"): [   # the written answer: grad f(3, 5)
       r"\[\s*6\s*,\s*14\s*\]", r"6\s*,\s*14\s*\]\s*\^"],
}


def _before(assignment: str, grade_id: str) -> tuple[list, int]:
    nb = nbformat.read(REPO / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    asking = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return nb.cells[:asking], asking


def stated_early(assignment: str, grade_id: str, cells=None) -> list[str]:
    """Each (cell, text) before the asking cell where one of the answer's forms occurs."""
    early, _ = _before(assignment, grade_id) if cells is None else (cells, None)
    found = []
    for cell in early:
        for pattern in ANSWERS[assignment, grade_id]:
            for m in re.finditer(pattern, cell.source):
                found.append(f"{cell.get('id')}: …{cell.source[max(0, m.start() - 40):m.end() + 20]}…")
    return found


@pytest.mark.parametrize(("assignment", "grade_id"), list(ANSWERS), ids=[f"{a}-{g}" for a, g in ANSWERS])
def test_no_graded_value_is_given_before_its_question(assignment, grade_id):
    found = stated_early(assignment, grade_id)
    assert not found, f"{assignment}: the answer to {grade_id} is stated before it is asked:\n" + "\n".join(found)


def test_the_check_catches_the_sentence_06_once_had():
    """The timing cell as it was before it was reworded would fail."""
    cells, _ = _before("06_cnn", "network_sizes")
    old = nbformat.v4.new_markdown_cell("Timing on images of 50 × 50 pixels, as in the document.")
    assert stated_early("06_cnn", "network_sizes", [*cells, old])
