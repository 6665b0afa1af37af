# A loop over the images that overwrites dw (= instead of +=): dw is the gradient of the last image of the batch alone.
# expect-fail: conv_backward_dw
# expect-message: you summed over one image of the batch only
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    dw = np.zeros(w.shape)
    for n in range(N):
        for u in range(k):
            for v in range(k):
                dw[:, :, u, v] = np.einsum("fij,cij->fc", dout[n], x[n, :, u:u + Ho, v:v + Wo])
    dx = np.zeros(x.shape)
    for u in range(k):
        for v in range(k):
            dx[:, :, u:u + Ho, v:v + Wo] += np.einsum("nfij,fc->ncij", dout, w[:, :, u, v])
    return dx, dw, dout.sum(axis=(0, 2, 3))
