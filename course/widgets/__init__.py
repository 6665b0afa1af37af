"""Interactive widgets of "Backpropagation, step by step" (ipywidgets + matplotlib, nothing else).

Every widget shows what the *student's* code computes next to what is measured numerically; none of them holds a
derivative rule or a backward pass of its own (those are what the notebooks ask the student to write).

- ``GradientFlow`` (``course.widgets.graph_flow``, notebook 01): a scalar computational graph of ``course.graph``
  drawn left to right, with sliders for its free variables; step backward through its nodes and see, for each one,
  the upstream gradient it receives, its local gradients and the downstream gradients it sends to its inputs.
  Given the student's ``local_gradients``, every edge where it disagrees with the numeric derivative is red.
"""
from .graph_flow import GradientFlow

__all__ = ["GradientFlow"]
