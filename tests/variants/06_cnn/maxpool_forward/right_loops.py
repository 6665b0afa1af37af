def maxpool_forward(x):
    N, C, H, W = x.shape
    out = np.empty((N, C, H // 2, W // 2))
    for n in range(N):
        for c in range(C):
            for i in range(H // 2):
                for j in range(W // 2):
                    out[n, c, i, j] = np.max(x[n, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2])
    return out, x
