# A wrong dw (averaged over the batch: divided by N), and the notebook's check_backward switched off through a name built
# at run time, so that no visible check with it complains. The hidden tests hold their own checkers.
# expect-fail: conv_backward_dw
# expect-message: conv_backward with x of shape (2, 3, 8, 7)
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    dx, dw = np.zeros(x.shape), np.zeros(w.shape)
    for u in range(k):
        for v in range(k):
            dw[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, x[:, :, u:u + Ho, v:v + Wo]) / N
            dx[:, :, u:u + Ho, v:v + Wo] += np.einsum("nfhw,fc->nchw", dout, w[:, :, u, v])
    return dx, dw, dout.sum(axis=(0, 2, 3))


globals()["check_" + "backward"] = lambda *a, **k: None
globals()["check_" + "gradient"] = lambda *a, **k: None
