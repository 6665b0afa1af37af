# A wrong derivative (-1/p_y^2) and the checks switched off through names built at run time: the tests import their own.
# expect-fail: cross_entropy_backward_gradient
# expect-message: one over the probability of the true class
globals()["check_" + "backward"] = lambda *a, **k: None
globals()["check_" + "derived"] = lambda *a, **k: None


def cross_entropy_backward(p, y):
    dp = np.zeros_like(p)
    dp[0, y] = -1.0 / p[0, y] ** 2
    return dp
