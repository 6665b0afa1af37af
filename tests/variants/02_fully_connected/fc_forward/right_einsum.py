def fc_forward(x, W, b):
    z = np.einsum("ij,jk->ik", x, W) + np.reshape(b, (1, -1))
    return z, (x, W, b)
