# The gradient not divided by N, and the notebook's check_backward switched off through a name built at run time.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: off by a factor N
def softmax_cross_entropy(t, y):
    N = len(y)
    shifted = t - t.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dt = np.exp(log_p)
    dt[np.arange(N), y] -= 1.0
    return float(-log_p[np.arange(N), y].mean()), dt


globals()["check_" + "backward"] = lambda *a, **k: None
