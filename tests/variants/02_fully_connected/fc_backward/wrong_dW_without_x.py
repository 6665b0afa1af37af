# dW = the upstream gradient copied into every row: dz_l/dW_mn taken as 1 (the input x forgotten).
# expect-fail: fc_backward_dW
# expect-message: which z_l depend on W_mn
def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W.T, np.ones_like(W) * dz, dz.reshape(b.shape)
