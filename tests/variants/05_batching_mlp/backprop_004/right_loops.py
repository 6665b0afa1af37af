# 004's loop entry by entry: the products written as sums over i and j (« a_i = sum_j w_ij h_j + b_i »), in plain
# python; g_k and g'_k called on the whole column, as they are given.
def backprop_004(W, b, x, grad_hL, g, g_prime):
    L = len(W)
    a, h = {}, {0: x}
    for k in range(1, L + 1):
        rows, cols = W[k].shape
        a[k] = np.array([[sum(W[k][i, j] * h[k - 1][j, 0] for j in range(cols)) + b[k][i, 0]] for i in range(rows)])
        h[k] = g[k](a[k])
    grad_W, grad_b = {}, {}
    e = [grad_hL[i, 0] for i in range(grad_hL.shape[0])]
    for k in range(L, 0, -1):
        rows, cols = W[k].shape
        slope = g_prime[k](a[k])
        delta = [e[i] * slope[i, 0] for i in range(rows)]
        grad_b[k] = np.array(delta).reshape(rows, 1)
        grad_W[k] = np.array([[delta[i] * h[k - 1][j, 0] for j in range(cols)] for i in range(rows)])
        e = [sum(W[k][i, j] * delta[i] for i in range(rows)) for j in range(cols)]
    return a, h, grad_W, grad_b
