# Document 002's recursion entry by entry, with python loops (sums of products, no matrix product).
def backprop_columns(w, b, x, y):
    p = len(w)
    a, z = [x[:, 0].tolist()], [None]
    for k in range(p):
        rows, cols = w[k].shape
        zk = [sum(w[k][i, j] * a[k][j] for j in range(cols)) + b[k][i, 0] for i in range(rows)]
        z.append(zk)
        if k + 1 < p:
            a.append([v if v > 0 else 0.0 for v in zk])
    scores = z[p]
    top = max(scores)
    exps = [np.exp(s - top) for s in scores]
    total = sum(exps)
    loss = float(np.log(total) - (scores[y] - top))
    dL = [e / total - (1.0 if i == y else 0.0) for i, e in enumerate(exps)]     # dL^(p)
    dW, dB = [None] * p, [None] * p
    for k in range(p - 1, -1, -1):
        rows, cols = w[k].shape
        dB[k] = np.array(dL).reshape(rows, 1)
        dW[k] = np.array([[dL[i] * a[k][j] for j in range(cols)] for i in range(rows)])
        if k > 0:
            dL = [(1.0 if z[k][j] > 0 else 0.0) * sum(w[k][i, j] * dL[i] for i in range(rows)) for j in range(cols)]
    return loss, dW, dB
