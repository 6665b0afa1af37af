# expect-fail: cross_entropy_backward_gradient
# expect-message: negative
def cross_entropy_backward(p, y):
    dp = np.zeros_like(p)
    dp[0, y] = 1.0 / p[0, y]
    return dp
