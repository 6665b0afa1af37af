# dX = dZ W: the product does not fit for D != H.
# expect-fail: fc_backward_dX
def fc_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W, X.T @ dZ, dZ.sum(axis=0, keepdims=True)
