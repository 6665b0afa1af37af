# Other spellings: ∂, the combining tilde, 1 = ∂c/∂c given to g̃, × and tuples for sizes, lines in another order.
from course.dataflow import Graph

fc_graph = Graph(
    forward=["c = g(z)", "z = FC(x, W, b)"],
    backward=["∂c/∂x, ∂c/∂W, ∂c/∂b = FC̃(∂c/∂z, W, x)", "∂c/∂z = g̃(1, z)"],
    sizes={"c": "1×1", "1": "1 x 1", "dc/dz": (1, "H"), "z": "1 * H", "W": "D x H", "x": "1 x D", "b": "1 x H",
           "∂c/∂W": "D × H", "∂c/∂x": "1 x D", "∂c/∂b": "1 x H"},
)
