# A backward output fed into a forward function.
# expect-fail: graph_mlp_edges
# expect-message: the edge dc/dx(1) → ReLU(2) should not be there: a backward output flows into the forward function
# patch: "x(2) = ReLU(2)(x(1))" -> "x(2) = ReLU(2)(dc/dx(1))"
