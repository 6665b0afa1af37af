def fc_backward(dZ, cache):
    X, W, b = cache
    dX = np.einsum("nh,dh->nd", dZ, W)
    dW = np.einsum("nd,nh->dh", X, dZ)
    db = np.ones((1, X.shape[0])) @ dZ          # 1_Nᵀ dZ, literally eq. 25
    return dX, dW, db
