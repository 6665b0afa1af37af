# The cost sized N x 1, one cost per sample: eq. 5 takes their mean.
# expect-fail: graph_batch_sizes
# expect-message: 'c' is sized N × 1
# patch: "c": "1 x 1" -> "c": "N x 1"
