# dx as a "full" correlation of the zero-padded dout with the filter, forgetting to flip it.
# expect-fail: conv_backward_dx
# expect-message: flipped by 180 degrees
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    dw = np.zeros_like(w, dtype=float)
    for u in range(k):
        for v in range(k):
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, x[:, :, u:u + Ho, v:v + Wo])
    padded = np.pad(dout, ((0, 0), (0, 0), (k - 1, k - 1), (k - 1, k - 1)))
    dx = np.zeros_like(x, dtype=float)
    for u in range(k):
        for v in range(k):
            dx += np.einsum("nfhw,fc->nchw", padded[:, :, u:u + H, v:v + W], w[:, :, u, v])
    return dx, dw, dout.sum(axis=(0, 2, 3))
