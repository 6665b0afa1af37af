def fc_backward(dz, cache):
    x, W, b = cache
    dx = np.einsum("nh,dh->nd", dz, W)
    dW = np.einsum("nd,nh->dh", x, dz)
    db = np.reshape(dz, np.shape(b))
    return dx, dW, db
