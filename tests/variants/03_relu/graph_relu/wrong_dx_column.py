# dc/dx sized as a column.
# expect-fail: graph_relu_sizes
# expect-message: 'dc/dx' is sized H × 1
# patch: "dc/dx": "1 x H" -> "dc/dx": "H x 1"
