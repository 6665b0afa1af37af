# W^(3) sized C x H.
# expect-fail: graph_mlp_sizes
# expect-message: 'W(3)' is sized C × H; the text gives H × C
# patch: "W(3)": "H x C" -> "W(3)": "C x H"
