# The -1 of the true class forgotten (dS = P / N), with the visible check switched off through a name built at run
# time, so the notebook shows no failure.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: each row has its own label y_i
globals()["check_" + "gradient"] = lambda *a, **k: None


def softmax_cross_entropy(S, y):
    N = S.shape[0]
    shifted = S - np.max(S, axis=1, keepdims=True)
    P = np.exp(shifted)
    P /= np.sum(P, axis=1, keepdims=True)
    return float(-np.mean(np.log(P[np.arange(N), y]))), P / N
