# dS by central differences of its own cost, written by hand, entry by entry (no course function): the visible
# checks pass, but the gradient has the precision of a finite difference.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: the precision of a numeric (finite-difference) gradient
def softmax_cross_entropy(S, y):
    def cost(S):
        shifted = S - np.max(S, axis=1, keepdims=True)
        logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        return float(-np.mean(logp[np.arange(S.shape[0]), y]))

    S = np.array(S, dtype=np.float64)
    h = 1e-5
    dS = np.zeros_like(S)
    for idx in np.ndindex(S.shape):
        old = S[idx]
        S[idx] = old + h
        up = cost(S)
        S[idx] = old - h
        down = cost(S)
        S[idx] = old
        dS[idx] = (up - down) / (2 * h)
    return cost(S), dS
