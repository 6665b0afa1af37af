# l~ without the labels.
# expect-fail: graph_batch_edges
# expect-message: the edge y → l~ is missing
# patch: l~(S, y) -> l~(S)
