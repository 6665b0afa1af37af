# Multiplies by ln 2 where it should divide.
# expect-fail: softmax_cross_entropy_log2_gradient
# expect-message: a constant factor
def softmax_cross_entropy_log2(s, y):
    p = softmax(s)
    ds = p.copy()
    ds[0, y] -= 1
    return float(-np.log2(p[0, y])), ds * np.log(2)
