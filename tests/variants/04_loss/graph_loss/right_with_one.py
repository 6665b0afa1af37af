# The backward pass started from 1 = ∂c/∂c, as document 003 §2 writes l̃(1, s); other spellings.
from course.dataflow import Graph

loss_graph = Graph(forward=["c = l(y, s)"], backward=["∂c/∂s = l̃(1, s, y)"],
                   sizes={"s": "1 × C", "y": (1, 1), "c": "1 x 1", "1": "1 x 1", "∂c/∂s": "1 × C"})
