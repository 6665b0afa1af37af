# out + b: numpy adds b (F,) along the LAST axis of out (the columns), not along the filters. With one filter, or as
# many columns as filters, nothing raises.
# expect-fail: conv_forward_values
# expect-message: b goes along the filter axis of out
def conv_forward(x, w, b):
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = H - k + 1, W - k + 1
    out = np.zeros((N, F, Ho, Wo))
    for u in range(k):
        for v in range(k):
            out += np.einsum("nchw,fc->nfhw", x[:, :, u:u + Ho, v:v + Wo], w[:, :, u, v])
    return out + b, (x, w, b)
