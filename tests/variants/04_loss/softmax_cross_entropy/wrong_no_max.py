# Its own unshifted softmax: nan for scores near 1000.
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: subtracts max(s)
def softmax_cross_entropy(s, y):
    e = np.exp(s)
    p = e / e.sum()
    ds = p.copy()
    ds[0, y] -= 1
    return float(-np.log(p[0, y])), ds
