# Inline, with the ReLU mask taken from the output of the next FC layer (one layer too far).
# expect-fail: MLP_gradients
# expect-message: the ReLU mask of layer k comes from its own input
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
        self.inputs, self.pre = [], []
        A = X
        for k in range(1, self.L + 1, 2):
            self.inputs.append(A)
            Z = A @ self.params[f"W{k}"] + self.params[f"b{k}"]
            self.pre.append(Z)
            A = np.maximum(Z, 0.0) if k < self.L else Z
        return A

    def loss_and_gradients(self, X, y):
        S = self.forward(X)
        N = S.shape[0]
        P = np.exp(S - S.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        loss = float(-np.mean(np.log(P[np.arange(N), y])))
        dZ = P.copy()
        dZ[np.arange(N), y] -= 1.0
        dZ /= N
        grads = {}
        for j in range(len(self.pre) - 1, -1, -1):
            k = 2 * j + 1
            grads[f"W{k}"] = self.inputs[j].T @ dZ
            grads[f"b{k}"] = dZ.sum(axis=0, keepdims=True)
            if j:
                dZ = (dZ @ self.params[f"W{k}"].T) * (self.pre[j] > 0)       # should be self.pre[j - 1]
        return loss, grads
