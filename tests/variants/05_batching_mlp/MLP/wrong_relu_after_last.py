# A ReLU after the last FC layer too: the scores can no longer be negative.
# expect-fail: MLP_forward
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
        self.caches = []
        out = X
        for k in range(1, self.L + 1, 2):
            out, fc_cache = fc_forward(out, self.params[f"W{k}"], self.params[f"b{k}"])
            out, relu_cache = relu_forward(out)
            self.caches.append((fc_cache, relu_cache))
        return out

    def loss_and_gradients(self, X, y):
        loss, dout = softmax_cross_entropy(self.forward(X), y)
        grads = {}
        for j in range(len(self.caches) - 1, -1, -1):
            fc_cache, relu_cache = self.caches[j]
            dout = relu_backward(dout, relu_cache)
            dout, grads[f"W{2 * j + 1}"], grads[f"b{2 * j + 1}"] = fc_backward(dout, fc_cache)
        return loss, grads
