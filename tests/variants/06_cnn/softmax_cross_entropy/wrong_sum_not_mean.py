# The losses of the batch added up, not averaged (and the gradient not divided by N).
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: not the sum
def softmax_cross_entropy(t, y):
    N = len(y)
    shifted = t - t.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dt = np.exp(log_p)
    dt[np.arange(N), y] -= 1.0
    return float(-log_p[np.arange(N), y].sum()), dt
