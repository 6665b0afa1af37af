# Central differences written by hand through forward and softmax_cross_entropy, one parameter entry at a time: no
# course function is used, the student's own check passes, and no backward pass is derived.
# expect-fail: MLP_gradients
# expect-message: loss_and_gradients called fc_forward
# expect-message: instead of the derivative
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
        for k in range(1, self.L + 1):
            if k % 2 == 1:
                out, _ = fc_forward(out, self.params[f"W{k}"], self.params[f"b{k}"])
            else:
                out, _ = relu_forward(out)
        return out

    def loss_and_gradients(self, X, y):
        h = 1e-5
        grads = {}
        for key, p in self.params.items():
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + h
                up = softmax_cross_entropy(self.forward(X), y)[0]
                p[idx] = old - h
                down = softmax_cross_entropy(self.forward(X), y)[0]
                p[idx] = old
                g[idx] = (up - down) / (2 * h)
            grads[key] = g
        return softmax_cross_entropy(self.forward(X), y)[0], grads
