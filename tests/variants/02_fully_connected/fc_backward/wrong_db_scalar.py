# db summed to a scalar.
# expect-fail: fc_backward_db
# expect-message: shape of b
def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W.T, x.T @ dz, dz.sum()
