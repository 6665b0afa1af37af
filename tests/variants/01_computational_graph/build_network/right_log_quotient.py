# log2 written as ln(.) / ln(2), with the logarithm of the softmax as a difference.
def build_network(x1, x2, y1, y2):
    p = {name: Variable(name) for name in PARAMETERS}
    h1 = relu(x1 * p["w1"] + x2 * p["w2p"] + p["b1"])
    h2 = relu(x1 * p["w1p"] + x2 * p["w2"] + p["b2"])
    s1 = h1 * p["w3"] + h2 * p["w4"] + p["b3"]
    s2 = h1 * p["w3p"] + h2 * p["w4p"] + p["b4"]
    log_total = log(exp(s1) + exp(s2))
    E = (y1 * (log_total - s1) + y2 * (log_total - s2)) / math.log(2)
    return E, p
