# im2col: dw from the patch matrix, dx by sending the patch gradients back with np.add.at (col2im).
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    patches = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))     # (N, C, Ho, Wo, k, k)
    cols = patches.transpose(0, 2, 3, 1, 4, 5).reshape(N * Ho * Wo, C * k * k)
    d = dout.transpose(0, 2, 3, 1).reshape(N * Ho * Wo, F)
    dw = (d.T @ cols).reshape(w.shape)
    dcols = (d @ w.reshape(F, C * k * k)).reshape(N, Ho, Wo, C, k, k)
    dx = np.zeros(x.shape)
    n, i, j, c, u, v = np.indices(dcols.shape, sparse=True)
    np.add.at(dx, (n, c, i + u, j + v), dcols)
    return dx, dw, d.sum(axis=0)
