# dx = the local part alone (each row of W summed), without the upstream gradient dc/dz.
# expect-fail: fc_backward_dx
# expect-message: dz_l/dx_i read off 003 eq. 9
def fc_backward(dz, cache):
    x, W, b = cache
    return W.sum(axis=1).reshape(1, -1), x.T @ dz, dz.reshape(b.shape)
