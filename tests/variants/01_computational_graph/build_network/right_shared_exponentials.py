# Each exponential computed once and shared; the softmax through an inverse.
def build_network(x1, x2, y1, y2):
    p = {name: Variable(name) for name in PARAMETERS}
    h = [relu(p["w1"] * x1 + p["w2p"] * x2 + p["b1"]), relu(p["w1p"] * x1 + p["w2"] * x2 + p["b2"])]
    s1 = p["w3"] * h[0] + p["w4"] * h[1] + p["b3"]
    s2 = p["w3p"] * h[0] + p["w4p"] * h[1] + p["b4"]
    u1, u2 = exp(s1), exp(s2)
    scale = inv(u1 + u2)
    E = -(y1 * logb(2, u1 * scale)) - y2 * logb(2, u2 * scale)
    return E, p
