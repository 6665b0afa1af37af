# The mask of the maxima, then only the first of them in row-major order kept in each window (as np.argmax would).
def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    windows = x.reshape(N, C, H // 2, 2, W // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(N, C, H // 2, W // 2, 4)
    mask = windows == windows.max(axis=-1, keepdims=True)
    first = mask & (np.cumsum(mask, axis=-1) == 1)
    d = first * dout[..., None]
    return d.reshape(N, C, H // 2, W // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(N, C, H, W)
