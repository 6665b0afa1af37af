# The single-sample rules of notebook 02, sample by sample, summed over the batch for the shared W and b.
def fc_backward(dZ, cache):
    X, W, b = cache
    N = X.shape[0]
    dX = np.zeros_like(X)
    dW = np.zeros_like(W)
    db = np.zeros((1, W.shape[1]))
    for i in range(N):
        x, dz = X[i:i + 1], dZ[i:i + 1]
        dX[i:i + 1] = dz @ W.T
        dW += x.T @ dz
        db += dz
    return dX, dW, db
