# The signatures of document 003 §2 (l~(1, s), FC~ with b^(i)), x for x^(0), x(3) for s, ReLU without its index,
# the gradients written ∂l/∂..., and dc/dx(0) computed too.
from course.dataflow import Graph

mlp_graph = Graph(
    forward=["x^(1) = FC1(x, W^(1), b^(1))", "x^(2) = ReLU(x^(1))", "x^(3) = FC3(x^(2), W^(3), b^(3))",
             "c = l(y, x^(3))"],
    backward=["∂l/∂x^(3) = l̃(1, x^(3))",
              "∂l/∂x^(2), ∂l/∂W^(3), ∂l/∂b^(3) = FC̃3(∂l/∂x^(3), x^(2), W^(3), b^(3))",
              "∂l/∂x^(1) = ReLŨ(∂l/∂x^(2), x^(1))",
              "∂l/∂x, ∂l/∂W^(1), ∂l/∂b^(1) = FC̃1(∂l/∂x^(1), x, W^(1), b^(1))"],
    sizes={"x": "1 x D", "W^(1)": "D x H", "b^(1)": "1 x H", "x^(1)": "1 x H", "x^(2)": "1 x H",
           "W^(3)": "H x C", "b^(3)": "1 x C", "x^(3)": "1 x C", "y": "1 x 1", "c": "1 x 1", "1": "1 x 1",
           "∂l/∂x^(3)": "1 x C", "∂l/∂x^(2)": "1 x H", "∂l/∂W^(3)": "H x C", "∂l/∂b^(3)": "1 x C",
           "∂l/∂x^(1)": "1 x H", "∂l/∂x": "1 x D", "∂l/∂W^(1)": "D x H", "∂l/∂b^(1)": "1 x H"},
)
