# y sized as a one-hot row 1 x C.
# expect-fail: graph_loss_sizes
# expect-message: 'y' is sized 1 × C
# patch: "y": "1 x 1" -> "y": "1 x C"
