# The right loss, and central differences of it written by hand: right to about 1e-10, derived from nothing.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: the precision of a numeric (finite-difference) gradient
def softmax_cross_entropy(s, y):
    def loss_of(q):
        top = np.max(q)
        return float(top + np.log(np.sum(np.exp(q - top))) - q[0, y])
    h = 1e-5
    ds = np.zeros(s.shape)
    for k in range(s.shape[1]):
        step = np.zeros(s.shape)
        step[0, k] = h
        ds[0, k] = (loss_of(s + step) - loss_of(s - step)) / (2 * h)
    return loss_of(s), ds
