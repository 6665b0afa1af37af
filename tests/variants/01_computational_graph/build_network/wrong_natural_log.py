# ln where the document has log2: E off by a factor ln 2. The visible check at the symmetric parameters, where E is
# exactly 1 bit, catches it before hand-in.
# expect-fail: build_network_value network_gradients
# expect-message: exactly 1 bit; your graph gives E = 0.693147: that is ln 2
def build_network(x1, x2, y1, y2):
    p = {name: Variable(name) for name in PARAMETERS}
    h1 = relu(p["w1"] * x1 + p["w2p"] * x2 + p["b1"])
    h2 = relu(p["w1p"] * x1 + p["w2"] * x2 + p["b2"])
    y1_hat = p["w3"] * h1 + p["w4"] * h2 + p["b3"]
    y2_hat = p["w3p"] * h1 + p["w4p"] * h2 + p["b4"]
    total = exp(y1_hat) + exp(y2_hat)
    e1 = exp(y1_hat) / total
    e2 = exp(y2_hat) / total
    E = y1 * -log(e1) + y2 * -log(e2)
    return E, p
