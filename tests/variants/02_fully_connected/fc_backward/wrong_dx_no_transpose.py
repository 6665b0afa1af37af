# dx = dz W: the product does not even fit for D != H.
# expect-fail: fc_backward_dx
def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W, x.T @ dz, dz.reshape(b.shape)
