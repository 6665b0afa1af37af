# Document 004's loop: delta_k = grad_h E (.) g'(a_k) entry by entry (no diag matrix), its own softmax.
def backprop_columns(w, b, x, y):
    p = len(w)
    h, a = [x], []
    for k in range(p):
        a.append(w[k] @ h[-1] + b[k])
        h.append(np.maximum(a[-1], 0.0) if k < p - 1 else a[-1])
    scores = h[-1][:, 0]
    e = np.exp(scores - scores.max())
    prob = e / e.sum()
    loss = -np.log(prob[y])
    grad_h = prob.reshape(-1, 1).copy()
    grad_h[y, 0] -= 1.0
    dW, dB = [None] * p, [None] * p
    for k in range(p - 1, -1, -1):
        g_prime = (a[k] > 0).astype(float) if k < p - 1 else np.ones_like(a[k])
        delta = grad_h * g_prime
        dB[k] = delta
        dW[k] = delta @ h[k].T
        grad_h = w[k].T @ delta
    return loss, dW, dB
