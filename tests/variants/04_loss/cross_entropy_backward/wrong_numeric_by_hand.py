# Central differences written by hand on -ln p_y (without calling cross_entropy): right to about 1e-9, derived from nothing.
# expect-fail: cross_entropy_backward_gradient
# expect-message: the precision of a numeric (finite-difference) gradient
def cross_entropy_backward(p, y):
    h = 1e-5
    dp = np.zeros(p.shape)
    for k in range(p.shape[1]):
        up, down = np.array(p, dtype=np.float64), np.array(p, dtype=np.float64)
        up[0, k] += h
        down[0, k] -= h
        dp[0, k] = (-np.log(up[0, y]) + np.log(down[0, y])) / (2 * h)
    return dp
