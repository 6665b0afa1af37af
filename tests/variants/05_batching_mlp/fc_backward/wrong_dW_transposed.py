# dW = dZᵀ X: H x D instead of D x H.
# expect-fail: fc_backward_dW
# expect-message: which one is transposed
def fc_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0, keepdims=True)
