"""nbconvert templates of the autograder. Light on purpose: nbgrader_config.py imports it.

- ``autograder_feedback``: nbgrader's feedback page told which written answers are still to grade, its maths
  written as MathML (autograder/maths.py: ``FEEDBACK_FILTERS``) and no MathJax from a CDN;
- ``autograder_formgrade``: the formgrader's grading page with MathJax from the Jupyter server
  (jupyter-server-mathjax) instead of a CDN.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

FEEDBACK = "autograder_feedback"
# Not index.html.j2: the page extends nbgrader's feedback/index.html.j2, found by that name further down the
# template search path (nbconvert puts this folder first).
FEEDBACK_FILE = "page.html.j2"
# Markdown to HTML with MathML (every Markdown cell and comment of the page); nbgrader's MathJax <script> out.
# ``page_text``: the page's texts in its notebook's language (autograder/feedback.py).
FEEDBACK_FILTERS = {"markdown2html": "autograder.maths.markdown_filter",
                    "without_mathjax": "autograder.maths.without_mathjax",
                    "page_text": "autograder.feedback.page_text"}

FORMGRADE = "autograder_formgrade"
FORMGRADE_FILE = "page.html.j2"


def dirs() -> list[str]:
    """Where nbconvert finds these templates and nbgrader's, which they extend."""
    nbgrader = Path(importlib.util.find_spec("nbgrader").origin).parent
    return [str(Path(__file__).parent), str(nbgrader / "server_extensions" / "formgrader" / "templates")]
