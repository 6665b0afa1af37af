# Loops, and at a tie the LAST maximum of the window gets dL/dout: one maximum gets it all, which is accepted too.
def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(H // 2):
                for j in range(W // 2):
                    window = x[n, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2].ravel()
                    last = 3 - int(np.argmax(window[::-1]))
                    dx[n, c, 2 * i + last // 2, 2 * j + last % 2] = dout[n, c, i, j]
    return dx
