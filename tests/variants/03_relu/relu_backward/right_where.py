def relu_backward(dz, cache):
    return np.where(cache > 0, dz, 0.0)
