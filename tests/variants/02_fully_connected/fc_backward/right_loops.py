# eq. 12 and 13 entry by entry.
def fc_backward(dz, cache):
    x, W, b = cache
    D, H = W.shape
    dx = np.zeros((1, D))
    dW = np.zeros((D, H))
    for i in range(D):
        for l in range(H):
            dx[0, i] += dz[0, l] * W[i, l]
    for m in range(D):
        for n in range(H):
            dW[m, n] = x[0, m] * dz[0, n]
    db = dz.copy().reshape(b.shape)
    return dx, dW, db
