# The layers as a list built once; caches in a dict by layer index.
class MLP:
    def __init__(self, D, H, C, L, rng):
        if not (L >= 3 and L % 2 == 1):
            raise ValueError(L)
        self.layers = []
        sizes = [D] + [H] * (L // 2) + [C]
        self.params = {}
        for j in range(len(sizes) - 1):
            k = 2 * j + 1
            self.params["W" + str(k)] = rng.normal(0.0, (2.0 / sizes[j]) ** 0.5, size=(sizes[j], sizes[j + 1]))
            self.params["b" + str(k)] = np.zeros((1, sizes[j + 1]))
            self.layers.append(("fc", k))
            if j < len(sizes) - 2:
                self.layers.append(("relu", k + 1))

    def forward(self, X):
        self.cache = {}
        for kind, k in self.layers:
            if kind == "fc":
                X, self.cache[k] = fc_forward(X, self.params[f"W{k}"], self.params[f"b{k}"])
            else:
                X, self.cache[k] = relu_forward(X)
        return X

    def loss_and_gradients(self, X, y):
        loss, d = softmax_cross_entropy(self.forward(X), y)
        grads = {}
        for kind, k in reversed(self.layers):
            if kind == "fc":
                d, grads[f"W{k}"], grads[f"b{k}"] = fc_backward(d, self.cache[k])
            else:
                d = relu_backward(d, self.cache[k])
        return loss, grads
