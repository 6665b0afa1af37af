# Written without the layer functions: lists of the inputs and pre-activations of the FC layers, eq. 22-25 inline.
class MLP:
    def __init__(self, D, H, C, L, rng):
        if L < 3 or L % 2 == 0:
            raise ValueError("L must be odd and >= 3")
        self.L = L
        widths = [D] + [H] * ((L - 1) // 2) + [C]
        self.params = {}
        for j, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
            self.params[f"W{2 * j + 1}"] = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))
            self.params[f"b{2 * j + 1}"] = np.zeros((1, n_out))

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
                dZ = (dZ @ self.params[f"W{k}"].T) * (self.pre[j - 1] > 0)
        return loss, grads
