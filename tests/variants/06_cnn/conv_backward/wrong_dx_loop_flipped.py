# The loop over the offsets sends the gradient back with the flipped filter, w[f, c, k - 1 - u, k - 1 - v]: the flip
# belongs to the one-operation form (the padded dout correlated with the filter), not to this loop.
# expect-fail: conv_backward_dx
# expect-message: offset (u, v) uses w[f, c, u, v] itself, not flipped
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    dw = np.zeros(w.shape)
    dx = np.zeros(x.shape)
    for u in range(k):
        for v in range(k):
            dw[:, :, u, v] = np.einsum("nfij,ncij->fc", dout, x[:, :, u:u + Ho, v:v + Wo])
            dx[:, :, u:u + Ho, v:v + Wo] += np.einsum("nfij,fc->ncij", dout, w[:, :, k - 1 - u, k - 1 - v])
    return dx, dw, dout.sum(axis=(0, 2, 3))
