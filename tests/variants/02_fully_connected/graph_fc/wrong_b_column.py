# b sized as a column, H x 1 (it is a row, 1 x H: eq. 9).
# expect-fail: graph_fc_sizes
# expect-message: 'b' is sized H × 1
# patch: "b": "1 x H", -> "b": "H x 1",
