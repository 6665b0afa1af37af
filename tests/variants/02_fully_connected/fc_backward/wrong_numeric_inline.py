# Central differences by hand on a copy of the forward written inline (fc_forward is never called, so no
# call count can see it): the gradients have the precision of a finite difference, not of a formula.
# expect-fail: fc_backward_dx fc_backward_dW fc_backward_db
# expect-message: numeric (finite-difference) gradient
def fc_backward(dz, cache):
    x, W, b = cache
    h = 1e-5

    def grad(p, cost):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = cost()
            p[idx] = old - h
            down = cost()
            p[idx] = old
            g[idx] = (up - down) / (2 * h)
        return g

    x, W, b = x.copy(), W.copy(), b.copy()
    cost = lambda: np.sum((x @ W + b) * dz)
    return grad(x, cost), grad(W, cost), grad(b, cost)
