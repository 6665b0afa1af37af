# No derivation: central differences written by hand, through fc_forward.
# expect-fail: fc_backward_gradients
# expect-message: fc_backward called fc_forward
def fc_backward(dt, cache):
    x, W, b = (a.copy() for a in cache)
    h = 1e-5

    def central(a):
        grad = np.zeros(a.shape)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + h
            plus = np.sum(fc_forward(x, W, b)[0] * dt)
            a[idx] = old - h
            minus = np.sum(fc_forward(x, W, b)[0] * dt)
            a[idx] = old
            grad[idx] = (plus - minus) / (2 * h)
        return grad

    return central(x), central(W), central(b)
