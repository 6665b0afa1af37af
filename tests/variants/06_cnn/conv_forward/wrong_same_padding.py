# Pads the images with zeros to keep H x W ("same"), as many libraries offer: not the valid convolution of eq. 14.
# expect-fail: conv_forward_values conv_forward_figures_6_7
# expect-message: 2 x 3 output
def conv_forward(x, w, b):
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    p = k // 2
    xp = np.pad(x, ((0, 0), (0, 0), (p, k - 1 - p), (p, k - 1 - p)))
    out = np.zeros((N, F, H, W))
    for u in range(k):
        for v in range(k):
            out += np.einsum("nchw,fc->nfhw", xp[:, :, u:u + H, v:v + W], w[:, :, u, v])
    return out + b.reshape(1, F, 1, 1), (x, w, b)
