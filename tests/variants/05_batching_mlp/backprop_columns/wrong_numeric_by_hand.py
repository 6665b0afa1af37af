# Central differences written by hand through softmax_cross_entropy, one entry of w and b at a time: no course
# function is used, and nothing of the recursion is derived.
# expect-fail: backprop_columns_gradients backprop_columns_transposes
# expect-message: backprop_columns called softmax_cross_entropy
# expect-message: instead of the derivative
def backprop_columns(w, b, x, y):
    w = [np.array(m, dtype=np.float64) for m in w]
    b = [np.array(v, dtype=np.float64) for v in b]
    h = 1e-5

    def cost():
        a = x
        for k in range(len(w)):
            z = w[k] @ a + b[k]
            a = np.maximum(0.0, z) if k + 1 < len(w) else z
        return softmax_cross_entropy(a.T, np.array([y]))[0]

    def grad(p):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = cost()
            p[idx] = old - h
            down = cost()
            p[idx] = old
            g[idx] = (up - down) / (2 * h)
        return g

    return cost(), [grad(m) for m in w], [grad(v) for v in b]
