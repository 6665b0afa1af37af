# dc/db^(1) sized N x H, one row per sample: eq. 25 sums the rows.
# expect-fail: graph_batch_sizes
# expect-message: 'dc/db(1)' is sized N × H
# patch: "dc/db(1)": "1 x H" -> "dc/db(1)": "N x H"
