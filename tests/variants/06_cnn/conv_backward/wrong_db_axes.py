# db summed over the positions only, not over the batch: one bias gradient per image and filter.
# expect-fail: conv_backward_db
# expect-message: forget to sum over the N samples
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    dx, dw = np.zeros_like(x, dtype=float), np.zeros_like(w, dtype=float)
    for u in range(k):
        for v in range(k):
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, x[:, :, u:u + Ho, v:v + Wo])
            dx[:, :, u:u + Ho, v:v + Wo] += np.einsum("nfhw,fc->nchw", dout, w[:, :, u, v])
    return dx, dw, dout.sum(axis=(2, 3))
