# dW^(k) = a^(k) dL^(k+1)ᵀ: the row convention's shape, s_k x s_(k+1).
# expect-fail: backprop_columns_gradients backprop_columns_transposes
# expect-message: the shape of w^(k)
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
        dW[k] = a[k] @ dL.T
        if k > 0:
            dL = np.diag((z[k] > 0).ravel().astype(float)) @ w[k].T @ dL
    return loss, dW, dB
