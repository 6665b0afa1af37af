# dW = dzᵀ x: H x D instead of D x H.
# expect-fail: fc_backward_dW
# expect-message: transpose
# expect-message: in that order
def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W.T, dz.T @ x, dz.reshape(b.shape)
