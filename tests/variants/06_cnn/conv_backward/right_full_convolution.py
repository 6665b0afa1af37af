# dx as the textbook says: the zero-padded dout correlated with the filter flipped by 180 degrees (channels swapped).
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    windows = np.lib.stride_tricks.sliding_window_view(x, (Ho, Wo), axis=(2, 3))   # (N, C, k, k, Ho, Wo)
    dw = np.einsum("nfij,ncuvij->fcuv", dout, windows)
    padded = np.pad(dout, ((0, 0), (0, 0), (k - 1, k - 1), (k - 1, k - 1)))
    full = np.lib.stride_tricks.sliding_window_view(padded, (k, k), axis=(2, 3))    # (N, F, H, W, k, k)
    dx = np.einsum("nfpquv,fcuv->ncpq", full, w[:, :, ::-1, ::-1])
    return dx, dw, dout.sum(axis=(0, 2, 3))
