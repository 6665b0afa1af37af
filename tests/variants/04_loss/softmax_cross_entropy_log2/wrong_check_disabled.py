# The gradient still in nats, and the checks switched off through names built at run time.
# expect-fail: softmax_cross_entropy_log2_gradient
# expect-message: 1/ln 2
globals()["check_" + "backward"] = lambda *a, **k: None
globals()["check_" + "derived"] = lambda *a, **k: None


def softmax_cross_entropy_log2(s, y):
    p = softmax(s)
    ds = p.copy()
    ds[0, y] -= 1.0
    return float(-np.log2(p[0, y])), ds
