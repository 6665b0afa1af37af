"""Interactive widgets of "Backpropagation, step by step" (ipywidgets + matplotlib, nothing else).

Every widget shows what the *student's* code computes next to what is measured numerically; none of them holds a
derivative rule or a backward pass of its own (those are what the notebooks ask the student to write).

- ``GradientFlow`` (``course.widgets.graph_flow``, notebook 01): a scalar computational graph of ``course.graph``
  drawn left to right, with sliders for its free variables; step backward through its nodes and see, for each one,
  the upstream gradient it receives, its local gradients and the downstream gradients it sends to its inputs.
  Given the student's ``local_gradients``, every edge where it disagrees with the numeric derivative is red.
- ``LayerGradients`` (``course.widgets.layer_gradients``, notebooks 02 FC, 03 ReLU, then 05 and 06): one layer
  given as the student's ``forward`` / ``backward`` pair, on random inputs and a random upstream gradient; the
  upstream, local and downstream gradients side by side as heatmaps and bars, each downstream gradient compared
  with the numeric gradient of the student's ``forward`` (disagreeing entries outlined in red, with the diagnosis
  of ``course.gradcheck``: wrong shape, missing transpose, sign, factor, ...). **New sample** draws again.
- ``LossGradients`` (``course.widgets.layer_gradients``, notebook 04): the logits s, the probabilities of the
  student's ``softmax`` and the student's ∂c/∂s from the fused softmax cross-entropy, with the numeric gradient of
  the student's loss over it; a slider drags the correct class's logit s_y, a menu picks the correct class y.
- ``StackGradients`` (``course.widgets.stack``, notebook 05): backward through the student's whole MLP; pick the
  loss or a layer (in the order of the backward pass) and see its upstream, local and downstream gradients, under
  them the gradient norm at every layer and of every parameter gradient, checked against numeric ones.
- ``GraphDrawing`` (``course.widgets.dataflow``, notebooks 02-05): the computational graph the student declared
  with ``course.dataflow.Graph`` (document 003's « Travail : dessiner le graphe de calcul »), forward on top,
  backward under it, each variable with its size, and the slips that show without knowing the answer.
- ``MaxPoolRouting`` (``course.widgets.cnn``, notebook 06): document 000's 4 × 4 → 2 × 2 max-pool; the upstream
  gradient routed back by the student's ``maxpool_backward`` to the position of each window's max (Figures 4–5).
- ``ConvGradients`` (``course.widgets.cnn``, notebook 06): pick a filter weight (x, y) and see the input patch that
  multiplies each ∂L/∂out(i, j) and their sum ∂L/∂W(x, y) (000 eq. 16); a second view for ∂L/∂input.

Each widget module holds only its own computation and layout, on a shared base (no widget imports another):

- ``base.py``: ``GradientWidget``, the box with its ``image``, its ``message`` and how they are refreshed;
- ``drawing.py``: the canvas in inches, the one text measure and line-breaking rule, PNG output, DPI, colours,
  number formats;
- ``student.py``: calling the student's functions safely and describing what they returned;
- ``judge.py``: the verdicts and the red marks, all from ``course.gradcheck`` (its pass rule and tolerances);
- ``panels.py``: the heatmaps, bars and message boxes of the layer widgets, laid out in groups.
"""
from .graph_flow import GradientFlow
from .layer_gradients import LayerGradients, LossGradients
from .cnn import ConvGradients, MaxPoolRouting
from .dataflow import GraphDrawing
from .stack import StackGradients

__all__ = ["GradientFlow", "LayerGradients", "LossGradients", "StackGradients", "MaxPoolRouting", "ConvGradients",
           "GraphDrawing"]
