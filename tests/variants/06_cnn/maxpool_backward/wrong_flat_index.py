# The position of the max inside its window (0 to 3) used as a flat index of the whole image.
# expect-fail: maxpool_backward_values maxpool_backward_figures_4_5
# expect-message: is not a position in the image
def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    dx = np.zeros(x.shape)
    for n in range(N):
        for c in range(C):
            for i in range(H // 2):
                for j in range(W // 2):
                    k = np.argmax(x[n, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2])
                    dx[n, c].flat[k] += dout[n, c, i, j]
    return dx
