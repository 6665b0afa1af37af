# Eq. 16 with positions counted from 1 (the document's sums run "from 0 to 3"): dout(i, j) meets x(i + u - 1, j + v - 1),
# and Python's negative indices wrap around without an error.
# expect-fail: conv_backward_dw conv_backward_figure_7
# expect-message: offsets and positions both counted from 0
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    dx, dw = np.zeros_like(x, dtype=float), np.zeros_like(w, dtype=float)
    for i in range(Ho):
        for j in range(Wo):
            for u in range(k):
                for v in range(k):
                    dw[:, :, u, v] += dout[:, :, i, j].T @ x[:, :, i + u - 1, j + v - 1]
                    dx[:, :, i + u, j + v] += dout[:, :, i, j] @ w[:, :, u, v]
    return dx, dw, dout.sum(axis=(0, 2, 3))
