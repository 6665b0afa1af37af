# Only the -1 of the true class: forgets that every score is in the denominator of the softmax.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: p_k otherwise
def softmax_cross_entropy(s, y):
    p = softmax(s)
    ds = np.zeros_like(p)
    ds[0, y] = -1.0
    return float(-np.log(p[0, y])), ds
