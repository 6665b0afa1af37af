# dc/dW sized H x D, as W^T.
# expect-fail: graph_fc_sizes
# expect-message: 'dc/dW' is sized H × D; the text gives D × H
# patch: "dc/dW": "D x H" -> "dc/dW": "H x D"
