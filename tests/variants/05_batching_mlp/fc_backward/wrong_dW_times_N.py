# dW multiplied by N "to undo the mean of the loss": the upstream gradient dZ already carries the 1/N, and dW
# must keep it.
# expect-fail: fc_backward_dW
# expect-message: off by a factor N
def fc_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.shape[0] * (X.T @ dZ), dZ.sum(axis=0, keepdims=True)
