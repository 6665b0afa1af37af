"""nbconvert templates of the autograder: ``autograder_feedback``, nbgrader's feedback page told which written
answers are still to grade. Light on purpose: nbgrader_config.py imports it."""
from __future__ import annotations

import importlib.util
from pathlib import Path

FEEDBACK = "autograder_feedback"
# Not index.html.j2: the page extends nbgrader's feedback/index.html.j2, found by that name further down the
# template search path (nbconvert puts this folder first).
FEEDBACK_FILE = "page.html.j2"


def dirs() -> list[str]:
    """Where nbconvert finds these templates and nbgrader's, which they extend."""
    nbgrader = Path(importlib.util.find_spec("nbgrader").origin).parent
    return [str(Path(__file__).parent), str(nbgrader / "server_extensions" / "formgrader" / "templates")]
