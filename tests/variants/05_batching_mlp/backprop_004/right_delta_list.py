# 004's loop with a while, the deltas kept in a list (delta[k] = δ_k) and the stored values in lists turned into dicts.
def backprop_004(W, b, x, grad_hL, g, g_prime):
    L = len(W)
    a, h = [None], [x]
    for k in range(1, L + 1):
        a.append(W[k] @ h[k - 1] + b[k])
        h.append(g[k](a[k]))
    delta = [None] * (L + 1)
    grad_W, grad_b = {}, {}
    e = grad_hL                                   # e_k = ∇_{h_k}E, 004's name for the error backpropagated
    k = L
    while k >= 1:
        delta[k] = e * g_prime[k](a[k])
        grad_b[k] = delta[k]
        grad_W[k] = delta[k] @ h[k - 1].T
        e = W[k].T @ delta[k]
        k -= 1
    return {k: a[k] for k in range(1, L + 1)}, dict(enumerate(h)), grad_W, grad_b
