# dc/ds sized as the cost, 1 x 1.
# expect-fail: graph_loss_sizes
# expect-message: 'dc/ds' is sized 1 × 1
# patch: "dc/ds": "1 x C" -> "dc/ds": "1 x 1"
