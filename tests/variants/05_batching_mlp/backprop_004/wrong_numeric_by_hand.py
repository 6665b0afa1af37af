# Central differences written by hand on E = ∇_{h_L}Eᵀ h_L through the forward pass, one entry of W_k and b_k at a
# time: no course function is used, and nothing of 004's backward loop is derived.
# expect-fail: backprop_004_rows backprop_004_activations
# expect-message: backprop_004 called g_1
# expect-message: instead of the derivative
def backprop_004(W, b, x, grad_hL, g, g_prime):
    W = {k: np.array(m, dtype=np.float64) for k, m in W.items()}
    b = {k: np.array(v, dtype=np.float64) for k, v in b.items()}
    L = len(W)
    step = 1e-5

    def forward():
        a, h = {}, {0: x}
        for k in range(1, L + 1):
            a[k] = W[k] @ h[k - 1] + b[k]
            h[k] = g[k](a[k])
        return a, h

    def energy():
        return float(np.sum(grad_hL * forward()[1][L]))

    def grad(p):
        out = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + step
            up = energy()
            p[idx] = old - step
            down = energy()
            p[idx] = old
            out[idx] = (up - down) / (2 * step)
        return out

    a, h = forward()
    return a, h, {k: grad(W[k]) for k in W}, {k: grad(b[k]) for k in b}
