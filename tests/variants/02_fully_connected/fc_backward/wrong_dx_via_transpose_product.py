# dx = W dzᵀ as a column: the right numbers in the wrong shape (D x 1).
# expect-fail: fc_backward_dx
# expect-message: transpose
# expect-message: multiplied by an H x D matrix
def fc_backward(dz, cache):
    x, W, b = cache
    return W @ dz.T, x.T @ dz, dz.reshape(b.shape)
