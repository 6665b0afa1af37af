# The mathematician's convolution: the filter flipped, Filtre(x, y) times Image(i - x, j - y) shifted into place.
# expect-fail: conv_forward_values conv_forward_figures_6_7
# expect-message: flipped
def conv_forward(x, w, b):
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = H - k + 1, W - k + 1
    flipped = w[:, :, ::-1, ::-1]
    out = np.zeros((N, F, Ho, Wo))
    for u in range(k):
        for v in range(k):
            out += np.einsum("nchw,fc->nfhw", x[:, :, u:u + Ho, v:v + Wo], flipped[:, :, u, v])
    return out + b.reshape(1, F, 1, 1), (x, w, b)
