# The max of the whole batch subtracted, not each row's: fine while every sample's scores sit at the same level, but a
# row far below the others underflows to exp(...) = 0.
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: the max of that sample (its own row
def softmax_cross_entropy(t, y):
    N = len(y)
    shifted = t - t.max()
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dt = np.exp(log_p)
    dt[np.arange(N), y] -= 1.0
    return float(-log_p[np.arange(N), y].mean()), dt / N
