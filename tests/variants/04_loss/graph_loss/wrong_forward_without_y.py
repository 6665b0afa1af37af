# The label left out of the graph altogether: the cost computed from s alone (c = -ln p_y needs y).
# expect-fail: graph_loss_edges
# expect-message: your graph has no node 'y'
# patch: l(s, y) -> l(s)
# patch: l~(s, y) -> l~(s)
# patch: "s": "1 x C", "y": "1 x 1", -> "s": "1 x C",
