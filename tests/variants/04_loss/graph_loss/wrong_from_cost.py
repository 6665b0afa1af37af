# l~ fed with the cost c instead of the scores s.
# expect-fail: graph_loss_edges
# expect-message: the edge c → l~ should not be there
# patch: l~(s, y) -> l~(c, y)
