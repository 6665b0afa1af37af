# db averaged over the batch: the 1/N of the mean loss applied a second time.
# expect-fail: fc_backward_gradients
# expect-message: 1/N
def fc_backward(dt, cache):
    x, W, b = cache
    flat = x.reshape(len(x), -1)
    return (dt @ W.T).reshape(x.shape), flat.T @ dt, dt.mean(axis=0)
