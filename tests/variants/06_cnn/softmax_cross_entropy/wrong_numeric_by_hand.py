# The loss derived, its gradient by central differences written by hand: no call of anything the grader counts, but
# only the precision of a numeric gradient.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: the precision of a numeric (finite-difference) gradient
def softmax_cross_entropy(t, y):
    N = len(y)

    def loss(s):
        shifted = s - s.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(N), y].mean())

    s = np.array(t, dtype=float)
    h = 1e-5
    dt = np.zeros(s.shape)
    for idx in np.ndindex(s.shape):
        old = s[idx]
        s[idx] = old + h
        plus = loss(s)
        s[idx] = old - h
        minus = loss(s)
        s[idx] = old
        dt[idx] = (plus - minus) / (2 * h)
    return loss(s), dt
