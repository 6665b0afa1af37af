# X sized D x N.
# expect-fail: graph_batch_sizes
# expect-message: 'X(0)' is sized D × N
# patch: "X(0)": "N x D" -> "X(0)": "D x N"
