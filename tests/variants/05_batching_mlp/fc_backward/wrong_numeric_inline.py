# Central differences by hand on a copy of eq. 22 written inline (fc_forward is never called, so no call count can
# see it): the gradients have the precision of a finite difference, not of eq. 23-25.
# expect-fail: fc_backward_dX fc_backward_dW fc_backward_db
# expect-message: the precision of a numeric (finite-difference) gradient
def fc_backward(dZ, cache):
    X, W, b = cache
    X, W, b = X.copy(), W.copy(), b.copy()
    h = 1e-5

    def grad(p):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = np.sum((X @ W + b) * dZ)
            p[idx] = old - h
            down = np.sum((X @ W + b) * dZ)
            p[idx] = old
            g[idx] = (up - down) / (2 * h)
        return g

    return grad(X), grad(W), grad(b)
