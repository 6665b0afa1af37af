# np.argmin instead of np.argmax.
# expect-fail: maxpool_backward_values maxpool_backward_figures_4_5
# expect-message: not the max of its 2 x 2 window
def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(H // 2):
                for j in range(W // 2):
                    window = x[n, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2]
                    r, s = np.unravel_index(np.argmin(window), (2, 2))
                    dx[n, c, 2 * i + r, 2 * j + s] = dout[n, c, i, j]
    return dx
