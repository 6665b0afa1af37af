# A mask of the entries equal to the max of their window, times dout spread out (real student code). Right where a
# window has one maximum; where its maximum is reached twice or more, every tied maximum gets all of dL/dout.
# expect-fail: maxpool_backward_values
# expect-message: tied maxima
def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    top = x.reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))
    spread = lambda a: np.repeat(np.repeat(a, 2, axis=2), 2, axis=3)
    return (x == spread(top)) * spread(dout)
