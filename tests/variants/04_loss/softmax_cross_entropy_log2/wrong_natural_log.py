# Still in nats.
# expect-fail: softmax_cross_entropy_log2_loss softmax_cross_entropy_log2_gradient
def softmax_cross_entropy_log2(s, y):
    p = softmax(s)
    ds = p.copy()
    ds[0, y] -= 1
    return float(-np.log(p[0, y])), ds
