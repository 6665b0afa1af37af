# Central differences written by hand, one entry at a time, through fc_forward: no course function is used, every
# visible check passes, and nothing is derived.
# expect-fail: fc_backward_dX fc_backward_dW fc_backward_db
# expect-message: fc_backward called fc_forward
# expect-message: instead of the derivative
def fc_backward(dZ, cache):
    X, W, b = cache
    h = 1e-5

    def grad(which):
        args = [X.copy(), W.copy(), b.copy()]
        p = args[which]
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = np.sum(fc_forward(*args)[0] * dZ)
            p[idx] = old - h
            down = np.sum(fc_forward(*args)[0] * dZ)
            p[idx] = old
            g[idx] = (up - down) / (2 * h)
        return g

    return grad(0), grad(1), grad(2)
