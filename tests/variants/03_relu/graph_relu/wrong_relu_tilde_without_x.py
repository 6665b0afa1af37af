# ReLU~ without x: dc/dz alone does not say where the input was positive.
# expect-fail: graph_relu_edges
# expect-message: the edge x → ReLU~ is missing
# patch: ReLU~(dc/dz, x) -> ReLU~(dc/dz)
