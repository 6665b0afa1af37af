# One cache for the whole network: every forward overwrites it, and the backward pass of every layer gets what the
# last layer saw.
# expect-fail: MLP_gradients
# expect-message: keep one cache per layer
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
                out, self.cache = fc_forward(out, self.params[f"W{k}"], self.params[f"b{k}"])
            else:
                out, self.cache = relu_forward(out)
        return out

    def loss_and_gradients(self, X, y):
        loss, dout = softmax_cross_entropy(self.forward(X), y)
        grads = {}
        for k in range(self.L, 0, -1):
            if k % 2 == 1:
                dout, grads[f"W{k}"], grads[f"b{k}"] = fc_backward(dout, self.cache)
            else:
                dout = relu_backward(dout, self.cache)
        return loss, grads
