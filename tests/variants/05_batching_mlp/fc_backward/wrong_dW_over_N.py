# dW divided by N "to average over the batch": 1/N applied twice.
# expect-fail: fc_backward_dW
# expect-message: off by a factor 1/N
def fc_backward(dZ, cache):
    X, W, b = cache
    N = X.shape[0]
    return dZ @ W.T, X.T @ dZ / N, dZ.sum(axis=0, keepdims=True)
