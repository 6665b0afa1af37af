# Central differences by hand on a forward pass and a cost written inline (no layer function, no course function
# is called, so no call count can see it): the gradients have the precision of a finite difference.
# expect-fail: MLP_gradients
# expect-message: the precision of a numeric (finite-difference) gradient
class MLP:
    def __init__(self, D, H, C, L, rng):
        if L < 3 or L % 2 == 0:
            raise ValueError(L)
        self.L = L
        widths = [D] + [H] * ((L - 1) // 2) + [C]
        self.params = {}
        for j in range(len(widths) - 1):
            self.params[f"W{2 * j + 1}"] = rng.normal(0.0, np.sqrt(2.0 / widths[j]), size=(widths[j], widths[j + 1]))
            self.params[f"b{2 * j + 1}"] = np.zeros((1, widths[j + 1]))

    def forward(self, X):
        out = X
        for k in range(1, self.L + 1, 2):
            out = out @ self.params[f"W{k}"] + self.params[f"b{k}"]
            if k < self.L:
                out = np.maximum(out, 0.0)
        return out

    def cost(self, X, y):
        S = self.forward(X)
        shifted = S - S.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.mean(logp[np.arange(len(y)), y]))

    def loss_and_gradients(self, X, y):
        h = 1e-5
        grads = {}
        for key, p in self.params.items():
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + h
                up = self.cost(X, y)
                p[idx] = old - h
                down = self.cost(X, y)
                p[idx] = old
                g[idx] = (up - down) / (2 * h)
            grads[key] = g
        return self.cost(X, y), grads
