# The gradient goes through the ReLU layers unchanged (their backward functions skipped), with check_backward, which
# the student's own check of the MLP uses, switched off through a name built at run time.
# expect-fail: MLP_gradients
# expect-message: the ReLU mask of its own input
globals()["check_" + "backward"] = lambda *a, **k: None


class MLP:
    def __init__(self, D, H, C, L, rng):
        if L < 3 or L % 2 == 0:
            raise ValueError(f"L must be odd and >= 3, got {L}")
        self.L = L
        widths = [D] + [H] * ((L - 1) // 2) + [C]
        self.params = {}
        for j in range(len(widths) - 1):
            i = 2 * j + 1
            self.params[f"W{i}"] = rng.normal(0.0, np.sqrt(2.0 / widths[j]), size=(widths[j], widths[j + 1]))
            self.params[f"b{i}"] = np.zeros((1, widths[j + 1]))

    def forward(self, X):
        self.caches = []
        out = X
        for k in range(1, self.L + 1):
            if k % 2 == 1:
                out, cache = fc_forward(out, self.params[f"W{k}"], self.params[f"b{k}"])
            else:
                out, cache = relu_forward(out)
            self.caches.append(cache)
        return out

    def loss_and_gradients(self, X, y):
        S = self.forward(X)
        loss, dout = softmax_cross_entropy(S, y)
        grads = {}
        for k in range(self.L, 0, -1):
            if k % 2 == 1:
                dout, grads[f"W{k}"], grads[f"b{k}"] = fc_backward(dout, self.caches[k - 1])
        return loss, grads
