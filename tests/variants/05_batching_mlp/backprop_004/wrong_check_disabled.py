# δ_k = ∇_{h_k}E, the ⊙ g'_k(a_k) forgotten, with check_backward switched off through a name built at run time (in
# case a check of the notebook used it).
# expect-fail: backprop_004_activations
# expect-message: without the ⊙ g'_k(a_k)
globals()["check_" + "backward"] = lambda *a, **k: None


def backprop_004(W, b, x, grad_hL, g, g_prime):
    L = len(W)
    a, h = {}, {0: x}
    for k in range(1, L + 1):
        a[k] = W[k] @ h[k - 1] + b[k]
        h[k] = g[k](a[k])
    grad_W, grad_b = {}, {}
    grad_h = grad_hL
    for k in range(L, 0, -1):
        delta = grad_h
        grad_b[k] = delta
        grad_W[k] = delta @ h[k - 1].T
        grad_h = W[k].T @ delta
    return a, h, grad_W, grad_b
