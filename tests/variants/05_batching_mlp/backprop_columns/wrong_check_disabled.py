# dL^(k) = w^(k)ᵀ dL^(k+1), the diag(g'(z^(k))) forgotten, with check_backward switched off through a name built at
# run time (in case a check of the notebook used it).
# expect-fail: backprop_columns_gradients
# expect-message: diag(g'(z^(k)))
globals()["check_" + "backward"] = lambda *a, **k: None


def backprop_columns(w, b, x, y):
    p = len(w)
    a, z = [x], [None]
    for k in range(p):
        z.append(w[k] @ a[k] + b[k])
        if k + 1 < p:
            a.append(np.maximum(0.0, z[k + 1]))
    loss, dS = softmax_cross_entropy(z[p].T, np.array([y]))
    dL = dS.T
    dW, dB = [None] * p, [None] * p
    for k in range(p - 1, -1, -1):
        dB[k] = dL
        dW[k] = dL @ a[k].T
        if k > 0:
            dL = w[k].T @ dL
    return loss, dW, dB
