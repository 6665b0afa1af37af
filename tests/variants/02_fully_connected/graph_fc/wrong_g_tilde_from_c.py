# g~ fed with the cost c instead of the input z of g.
# expect-fail: graph_fc_edges
# expect-message: the edge c → g~ should not be there
# patch: g~(z) -> g~(c)
