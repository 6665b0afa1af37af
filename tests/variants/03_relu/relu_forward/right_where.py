def relu_forward(x):
    z = np.where(x > 0, x, 0.0)
    return z, x
