"""Library imported by the notebooks of "Backpropagation, step by step".

It never holds a solution: what the student writes in a notebook is not defined here.

- ``course.gradcheck``: numeric gradients and the checks that judge every derivative of the course.
- ``course.graph``: a scalar computational graph (values only: the derivatives are the student's work).
- ``course.data``: the handwritten digits of scikit-learn (no download), split and standardised; mini-batches.
- ``course.widgets``: the widgets that show upstream, local and downstream gradients of the student's code.
"""

from .i18n import language, set_language  # noqa: E402,F401  -- the French edition's setup cell calls set_language
