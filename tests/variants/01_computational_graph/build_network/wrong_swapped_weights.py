# w'1 and w'2 exchanged: h1 = ReLU(w1 x1 + w'1 x2 + b1), h2 = ReLU(w'2 x1 + w2 x2 + b2). The all-0.5 check is
# symmetric and cannot see it; the visible check of the parameters' places names both.
# expect-fail: build_network_value
# expect-message: w2p and w1p look misplaced in your graph: with x2 = 0, E still changes with w2p, but in document 001 w'2 multiplies x2 in h1
# expect-message: with x1 = 0, E still changes with w1p, but in document 001 w'1 multiplies x1 in h2
# patch: p["w2p"] * x2 -> p["w1p"] * x2
# patch: p["w1p"] * x1 -> p["w2p"] * x1
