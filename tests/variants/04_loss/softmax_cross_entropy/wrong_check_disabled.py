# Forgets p (only the -1 of the true class), and the checks switched off through names built at run time.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: p_k otherwise
globals()["check_" + "backward"] = lambda *a, **k: None
globals()["check_" + "derived"] = lambda *a, **k: None


def softmax_cross_entropy(s, y):
    top = np.max(s)
    d = np.zeros(s.shape)
    d[0, y] = 1.0
    return float(top + np.log(np.sum(np.exp(s - top))) - s[0, y]), -d
