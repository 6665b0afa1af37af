# FC~ without x: dc/dW = x^T dc/dz cannot be computed.
# expect-fail: graph_fc_edges
# expect-message: the edge x → FC~ is missing
# patch: FC~(dc/dz, x, W) -> FC~(dc/dz, W)
