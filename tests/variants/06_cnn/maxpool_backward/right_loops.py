def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(H // 2):
                for j in range(W // 2):
                    window = x[n, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2]
                    r, s = np.unravel_index(np.argmax(window), (2, 2))
                    dx[n, c, 2 * i + r, 2 * j + s] = dout[n, c, i, j]
    return dx
