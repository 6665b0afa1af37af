# "At a tie the numeric gradient gives each tied maximum half of dL/dout", coded as such: right for two tied maxima,
# but a window whose maximum is reached 3 or 4 times sends down 1.5 or 2 times dL/dout.
# expect-fail: maxpool_backward_values
# expect-message: windows with tied maxima
# expect-message: with tied maxima, all of it to one of them or shared in parts that add up to it
def maxpool_backward(dout, cache):
    x = cache
    N, C, H, W = x.shape
    windows = x.reshape(N, C, H // 2, 2, W // 2, 2)
    mask = (windows == windows.max(axis=(3, 5), keepdims=True)).astype(float)
    tied = mask.sum(axis=(3, 5), keepdims=True) > 1
    share = np.where(tied, 0.5, 1.0)
    return (mask * share * dout[:, :, :, None, :, None]).reshape(N, C, H, W)
