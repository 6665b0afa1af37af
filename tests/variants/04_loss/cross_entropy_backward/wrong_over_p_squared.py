# Confuses d(-ln x)/dx with d(1/x)/dx.
# expect-fail: cross_entropy_backward_gradient
# expect-message: one over the probability of the true class
def cross_entropy_backward(p, y):
    dp = np.zeros_like(p)
    dp[0, y] = -1.0 / p[0, y] ** 2
    return dp
