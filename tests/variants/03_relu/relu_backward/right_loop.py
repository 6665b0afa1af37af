def relu_backward(dz, cache):
    x = cache
    dx = np.zeros_like(dz)
    for k in np.ndindex(x.shape):
        if x[k] > 0:
            dx[k] = dz[k]
    return dx
