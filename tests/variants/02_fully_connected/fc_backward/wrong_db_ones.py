# db = 1 (dz/db) without the upstream gradient.
# expect-fail: fc_backward_db
# expect-message: put that into the chain rule
def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W.T, x.T @ dz, np.ones_like(b)
