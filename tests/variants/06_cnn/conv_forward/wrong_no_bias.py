# Follows the document's eq. 14 to the letter: no bias.
# expect-fail: conv_forward_values
# expect-message: but for the bias
def conv_forward(x, w, b):
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = H - k + 1, W - k + 1
    out = np.zeros((N, F, Ho, Wo))
    for u in range(k):
        for v in range(k):
            out += np.einsum("nchw,fc->nfhw", x[:, :, u:u + Ho, v:v + Wo], w[:, :, u, v])
    return out, (x, w, b)
