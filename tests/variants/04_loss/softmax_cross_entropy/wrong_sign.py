# d - p: the negative gradient.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: negative
def softmax_cross_entropy(s, y):
    p = softmax(s)
    d = np.zeros_like(p)
    d[0, y] = 1.0
    return float(-np.log(p[0, y])), d - p
