# X for X^(0), X(3) for S, ReLU without index and given its output, y as a column N x 1, dc/dX computed too.
from course.dataflow import Graph

batch_graph = Graph(
    forward=["X^(1) = FC^(1)(X, W^(1), b^(1))", "X^(2) = ReLU(X^(1))", "X^(3) = FC^(3)(X^(2), W^(3), b^(3))",
             "c = l(X^(3), y)"],
    backward=["∂c/∂X^(3) = l̃(1, X^(3), y)",
              "∂c/∂X^(2), ∂c/∂W^(3), ∂c/∂b^(3) = FC̃^(3)(∂c/∂X^(3), X^(2), W^(3))",
              "∂c/∂X^(1) = ReLŨ(∂c/∂X^(2), X^(2))",
              "∂c/∂X, ∂c/∂W^(1), ∂c/∂b^(1) = FC̃^(1)(∂c/∂X^(1), X, W^(1))"],
    sizes={"X": "N x D", "W^(1)": "D x H", "b^(1)": "1 x H", "X^(1)": "N x H", "X^(2)": "N x H",
           "W^(3)": "H x C", "b^(3)": "1 x C", "X^(3)": "N x C", "y": "N x 1", "c": "1 x 1", "1": "1 x 1",
           "∂c/∂X^(3)": "N x C", "∂c/∂X^(2)": "N x H", "∂c/∂W^(3)": "H x C", "∂c/∂b^(3)": "1 x C",
           "∂c/∂X^(1)": "N x H", "∂c/∂X": "N x D", "∂c/∂W^(1)": "D x H", "∂c/∂b^(1)": "1 x H"},
)
