# einsum for the products and np.outer for δ_k h_(k-1)ᵀ; the dicts filled layer by layer from the top.
def backprop_004(W, b, x, grad_hL, g, g_prime):
    a, h = {}, {0: x}
    for k in sorted(W):
        a[k] = np.einsum("ij,jn->in", W[k], h[k - 1]) + b[k]
        h[k] = g[k](a[k])
    grad_W, grad_b = {}, {}
    grad_h = grad_hL
    for k in sorted(W, reverse=True):
        delta = np.multiply(grad_h, g_prime[k](a[k]))
        grad_b[k] = delta.copy()
        grad_W[k] = np.outer(delta, h[k - 1])
        grad_h = np.einsum("ij,in->jn", W[k], delta)
    return a, h, grad_W, grad_b
