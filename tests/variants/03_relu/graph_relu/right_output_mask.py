# ReLU~ given the output z instead of x (z > 0 exactly where x > 0), other spellings, 1 = dc/dc given to g~.
from course.dataflow import Graph

relu_graph = Graph(
    forward=["c = g(z)", "z = ReLU(x)"],
    backward=["∂c/∂x = ReLŨ(∂c/∂z, z)", "∂c/∂z = g̃(1, z)"],
    sizes={"x": "1×H", "z": "1×H", "c": "1×1", "1": "1 x 1", "∂c/∂z": "1×H", "∂c/∂x": "1×H"},
)
