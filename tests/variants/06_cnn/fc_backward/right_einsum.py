def fc_backward(dt, cache):
    x, W, b = cache
    flat = x.reshape(x.shape[0], -1)
    dx = np.einsum("nk,dk->nd", dt, W).reshape(x.shape)
    return dx, np.einsum("nd,nk->dk", flat, dt), np.einsum("nk->k", dt)
