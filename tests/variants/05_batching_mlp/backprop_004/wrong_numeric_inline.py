# Central differences by hand, every moved parameter set evaluated in ONE batched forward pass (a stack of weights,
# so each g_k is called once, as by a derived pass, and no call count can see it): the gradients have the precision
# of a finite difference.
# expect-fail: backprop_004_rows backprop_004_activations
# expect-message: the precision of a numeric (finite-difference) gradient
def backprop_004(W, b, x, grad_hL, g, g_prime):
    L = len(W)
    step = 1e-5
    moves = []                                        # (which dict, layer, entry, sign) of each moved parameter set
    for name, params in (("W", W), ("b", b)):
        for k in params:
            for idx in np.ndindex(params[k].shape):
                moves += [(name, k, idx, 1.0), (name, k, idx, -1.0)]
    Ws = {k: np.repeat(W[k][None], len(moves) + 1, axis=0) for k in W}
    bs = {k: np.repeat(b[k][None], len(moves) + 1, axis=0) for k in b}
    for n, (name, k, idx, sign) in enumerate(moves, start=1):
        (Ws if name == "W" else bs)[k][(n,) + idx] += sign * step
    a, h = {}, {0: np.repeat(x[None], len(moves) + 1, axis=0)}
    for k in range(1, L + 1):
        a[k] = Ws[k] @ h[k - 1] + bs[k]
        h[k] = g[k](a[k])
    energy = np.sum(grad_hL[None] * h[L], axis=(1, 2))    # E = ∇_{h_L}Eᵀ h_L for every parameter set
    grads = {"W": {k: np.zeros_like(W[k]) for k in W}, "b": {k: np.zeros_like(b[k]) for k in b}}
    for n in range(1, len(moves), 2):
        name, k, idx, _ = moves[n - 1]
        grads[name][k][idx] = (energy[n] - energy[n + 1]) / (2 * step)
    return {k: a[k][0] for k in a}, {k: h[k][0] for k in h}, grads["W"], grads["b"]
