# The mask of the maxima, each window's dL/dout shared equally among its tied maxima (the other accepted convention).
def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    windows = x.reshape(N, C, H // 2, 2, W // 2, 2)
    mask = (windows == windows.max(axis=(3, 5), keepdims=True)).astype(float)
    mask /= mask.sum(axis=(3, 5), keepdims=True)
    return (mask * dout[:, :, :, None, :, None]).reshape(N, C, H, W)
