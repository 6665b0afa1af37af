# Eq. 3 of document 000 read literally: -1/y, with y the label.
# expect-fail: cross_entropy_backward_gradient
# expect-message: divides by the label
def cross_entropy_backward(p, y):
    dp = np.zeros_like(p)
    dp[0, y] = -1 / y
    return dp
