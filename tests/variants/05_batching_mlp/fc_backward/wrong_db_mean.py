# db averaged over the batch instead of summed: the 1/N of the loss applied twice.
# expect-fail: fc_backward_db
# expect-message: off by a factor 1/N
def fc_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, np.mean(dZ, axis=0, keepdims=True)
