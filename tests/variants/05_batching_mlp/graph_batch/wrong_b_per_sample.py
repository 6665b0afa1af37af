# b^(3) sized N x C, as 1_N b.
# expect-fail: graph_batch_sizes
# expect-message: 'b(3)' is sized N × C
# patch: "b(3)": "1 x C" -> "b(3)": "N x C"
# patch: "dc/db(3)": "1 x C" -> "dc/db(3)": "N x C"
