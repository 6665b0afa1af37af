# g~ given only 1 = dc/dc, not the input z of g.
# expect-fail: graph_relu_edges
# expect-message: the edge z → g~ is missing
# patch: g~(z) -> g~(1)
