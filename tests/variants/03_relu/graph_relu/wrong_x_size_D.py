# x and its gradient sized 1 x D: the ReLU of §3.2 has H entries (dc/dz = [dc/dz_0 ... dc/dz_(H-1)]).
# expect-fail: graph_relu_sizes
# expect-message: 'x' is sized 1 × D
# patch: "x": "1 x H" -> "x": "1 x D"
# patch: "dc/dx": "1 x H" -> "dc/dx": "1 x D"
