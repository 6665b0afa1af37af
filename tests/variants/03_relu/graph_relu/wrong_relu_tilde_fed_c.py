# ReLU~ fed with the cost c as well.
# expect-fail: graph_relu_edges
# expect-message: the edge c → ReLU~ should not be there
# patch: ReLU~(dc/dz, x) -> ReLU~(dc/dz, x, c)
