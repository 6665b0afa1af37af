# The label sized as a one-hot row 1 x C; document 003 makes it « un scalaire 1×1 ».
# expect-fail: graph_mlp_sizes
# expect-message: 'y' is sized 1 × C
# patch: "y": "1 x 1" -> "y": "1 x C"
