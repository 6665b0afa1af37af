# The output one row and one column short (H - k instead of H - k + 1 positions): on step 1's example every output it
# does give is the right -4.5. The conv_backward checks that go through conv_forward must not crash on it (they said
# "checked with your conv_forward" and crashed inside course/gradcheck.py): they say what is wrong with conv_forward,
# and conv_backward keeps its points.
# expect-fail: conv_forward_values
# expect-message: out of shape (1, 1, 2, 3), got (1, 1, 1, 2)
def conv_forward(x, w, b):
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = H - k, W - k
    out = np.zeros((N, F, Ho, Wo))
    for u in range(k):
        for v in range(k):
            out += np.einsum("nchw,fc->nfhw", x[:, :, u:u + Ho, v:v + Wo], w[:, :, u, v])
    return out + b.reshape(1, F, 1, 1), (x, w, b)
