# The single-sample rule db = dz kept for a batch: db is N x H.
# expect-fail: fc_backward_db
# expect-message: whatever N
def fc_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ
