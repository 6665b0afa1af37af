# Eq. 14 written out: six nested loops (the sum over the channels done by np.sum). Slow, but right.
def conv_forward(x, w, b):
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    Ho, Wo = H - k + 1, W - k + 1
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    total = b[f]
                    for u in range(k):
                        for v in range(k):
                            total += np.sum(x[n, :, i + u, j + v] * w[f, :, u, v])
                    out[n, f, i, j] = total
    return out, (x, w, b)
