# -1 on every score instead of on the correct class only.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: for the correct class only
def softmax_cross_entropy(t, y):
    N = len(y)
    shifted = t - t.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(N), y].mean()), (np.exp(log_p) - 1.0) / N
