# db of shape (H,): the right numbers, not the shape of b.
# expect-fail: fc_backward_db
# expect-message: keeps the summed axis
def fc_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)
