# Eq. 16 and the input gradient written out: every output sends dout[n, f, i, j] back to the weights and pixels it used.
def conv_backward(dout, cache):
    x, w, b = cache
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = dout.shape[2:]
    dx, dw, db = np.zeros(x.shape), np.zeros(w.shape), np.zeros(F)
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    g = dout[n, f, i, j]
                    db[f] += g
                    for u in range(k):
                        for v in range(k):
                            dw[f, :, u, v] += g * x[n, :, i + u, j + v]
                            dx[n, :, i + u, j + v] += g * w[f, :, u, v]
    return dx, dw, db
