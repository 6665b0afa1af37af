# The tilde written before the name, gradients written dc_dv, no title.
from course.dataflow import Graph

fc_graph = Graph(forward=["z = FC(x, W, b)", "c = g(z)"],
                 backward=["dc_dz = ~g(z)", "dc_dx, dc_dW, dc_db = ~FC(dc_dz, x, W)"],
                 sizes={"x": "1 x D", "W": "D x H", "b": "1 x H", "z": "1 x H", "c": "1 x 1", "dc_dz": "1 x H",
                        "dc_dx": "1 x D", "dc_dW": "D x H", "dc_db": "1 x H"})
