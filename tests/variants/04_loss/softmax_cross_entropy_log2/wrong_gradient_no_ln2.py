# The loss in bits, the gradient still in nats.
# expect-fail: softmax_cross_entropy_log2_gradient
# expect-message: 1/ln 2
def softmax_cross_entropy_log2(s, y):
    p = softmax(s)
    ds = p.copy()
    ds[0, y] -= 1
    return float(-np.log2(p[0, y])), ds
