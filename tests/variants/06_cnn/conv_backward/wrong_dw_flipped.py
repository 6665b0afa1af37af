# dw computed, then flipped "because the backward pass of a convolution flips the kernel" (that is only true of dx).
# expect-fail: conv_backward_dw conv_backward_figure_7
# expect-message: filter axes reversed
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
    return dx, dw[:, :, ::-1, ::-1], dout.sum(axis=(0, 2, 3))
