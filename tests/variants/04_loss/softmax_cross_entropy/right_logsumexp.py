# Document 004, PyTorch convention: L = -s_y + log sum_k exp(s_k), gradient softmax(s) - d.
def softmax_cross_entropy(s, y):
    top = np.max(s)
    lse = top + np.log(np.sum(np.exp(s - top)))
    d = np.zeros_like(s, dtype=float)
    d[0, y] = 1.0
    return float(lse - s[0, y]), np.exp(s - lse) - d
