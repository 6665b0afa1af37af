# The loss graph without y: dc/ds = p - onehot(y) needs the label.
# expect-fail: graph_loss_edges
# expect-message: the edge y → l~ is missing
# patch: l~(s, y) -> l~(s)
