# The right loss in bits, and central differences of an inline version of it written by hand.
# expect-fail: softmax_cross_entropy_log2_gradient
# expect-message: the precision of a numeric (finite-difference) gradient
def softmax_cross_entropy_log2(s, y):
    def bits(q):
        top = np.max(q)
        return float((top + np.log(np.sum(np.exp(q - top))) - q[0, y]) / np.log(2.0))
    h = 1e-5
    ds = np.zeros(s.shape)
    for k in range(s.shape[1]):
        step = np.zeros(s.shape)
        step[0, k] = h
        ds[0, k] = (bits(s + step) - bits(s - step)) / (2 * h)
    return bits(s), ds
