# The gradient goes through the ReLU layers unchanged (their backward functions are skipped).
# expect-fail: MLP_gradients
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
        for k in range(1, self.L + 1):
            out, cache = (fc_forward(out, self.params[f"W{k}"], self.params[f"b{k}"]) if k % 2 == 1
                          else relu_forward(out))
            self.caches.append(cache)
        return out

    def loss_and_gradients(self, X, y):
        loss, dout = softmax_cross_entropy(self.forward(X), y)
        grads = {}
        for k in range(self.L, 0, -2):
            dout, grads[f"W{k}"], grads[f"b{k}"] = fc_backward(dout, self.caches[k - 1])
        return loss, grads
