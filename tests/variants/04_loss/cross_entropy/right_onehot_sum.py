# Eq. 1 of document 000: -sum_i y_i log(y^_i) with a one-hot target.
def cross_entropy(p, y):
    d = np.zeros_like(p)
    d[0, y] = 1.0
    return -np.sum(d * np.log(p))
