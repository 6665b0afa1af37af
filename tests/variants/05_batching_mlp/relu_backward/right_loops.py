def relu_backward(dZ, cache):
    X = cache
    dX = np.zeros_like(dZ)
    for i in range(X.shape[0]):
        for k in range(X.shape[1]):
            if X[i, k] > 0:
                dX[i, k] = dZ[i, k]
    return dX
