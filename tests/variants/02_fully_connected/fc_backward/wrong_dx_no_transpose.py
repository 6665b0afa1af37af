# dx = dz W: the product does not even fit for D != H.
# expect-fail: fc_backward_dx
# expect-message: fc_backward(dz: (1, 3), cache: ((1, 4), (4, 3), (1, 3))) raised ValueError
def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W, x.T @ dz, dz.reshape(b.shape)
