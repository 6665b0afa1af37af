# A mask of the entries equal to the max of their window (one per window when there is no tie), times dout spread out.
def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    top = x.reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))
    spread = lambda a: np.repeat(np.repeat(a, 2, axis=2), 2, axis=3)
    return (x == spread(top)) * spread(dout)
