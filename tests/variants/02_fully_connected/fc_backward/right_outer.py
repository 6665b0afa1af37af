# dW as an outer product, dx as a sum of scaled rows of Wᵀ, db a copy in the shape of b.
def fc_backward(dz, cache):
    x, W, b = cache
    dx = sum(dz[0, l] * W[:, l] for l in range(W.shape[1])).reshape(1, -1)
    dW = np.outer(x, dz)
    db = np.array(dz, copy=True).reshape(np.shape(b))
    return dx, dW, db
