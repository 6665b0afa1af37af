# x^(1) sized 1 x D, as the input.
# expect-fail: graph_mlp_sizes
# expect-message: 'x(1)' is sized 1 × D
# patch: "x(1)": "1 x H" -> "x(1)": "1 x D"
