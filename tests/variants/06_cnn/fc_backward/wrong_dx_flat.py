# dx left flattened.
# expect-fail: fc_backward_gradients
# expect-message: reshape
def fc_backward(dt, cache):
    x, W, b = cache
    flat = x.reshape(len(x), -1)
    return dt @ W.T, flat.T @ dt, dt.sum(axis=0)
