# w2 and w'2 exchanged: h1 uses w2 x2, h2 uses w'2 x2.
# expect-fail: build_network_value
# expect-message: w2p and w2 look misplaced in your graph: with w3 = w'3 = 0 (h1 used by no output), E still changes with w2p
def build_network(x1, x2, y1, y2):
    p = {name: Variable(name) for name in PARAMETERS}
    h1 = relu(p["w1"] * x1 + p["w2"] * x2 + p["b1"])
    h2 = relu(p["w1p"] * x1 + p["w2p"] * x2 + p["b2"])
    y1_hat = p["w3"] * h1 + p["w4"] * h2 + p["b3"]
    y2_hat = p["w3p"] * h1 + p["w4p"] * h2 + p["b4"]
    total = exp(y1_hat) + exp(y2_hat)
    e1 = exp(y1_hat) / total
    e2 = exp(y2_hat) / total
    E = y1 * -logb(2, e1) + y2 * -logb(2, e2)
    return E, p
