# Height and width swapped when reading the shape (real student code, CS231n style): the slices no longer line up and
# numpy raises a broadcasting error inside conv_forward; the message names conv_forward and the shapes it got.
# expect-fail: conv_forward_values
# expect-message: conv_forward(x: (1, 1, 3, 4), w: (1, 1, 2, 2), b: (1,)) raised ValueError
# expect-message: H counts the rows of an image (axis 2)
def conv_forward(x, w, b):
    N, C, W, H = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = H - k + 1, W - k + 1
    out = np.zeros((N, F, Ho, Wo))
    for u in range(k):
        for v in range(k):
            out += np.einsum("nchw,fc->nfhw", x[:, :, u:u + Ho, v:v + Wo], w[:, :, u, v])
    return out + b.reshape(1, F, 1, 1), (x, w, b)
