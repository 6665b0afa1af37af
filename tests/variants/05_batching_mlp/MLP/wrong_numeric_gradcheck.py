# loss_and_gradients returns course.gradcheck's numeric gradient of its own loss for every parameter: the checks
# the student can run pass, but no backward pass is derived.
# expect-fail: MLP_gradients
# expect-message: loss_and_gradients called course.gradcheck's numeric_gradient
from course.gradcheck import numeric_gradient


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
        def loss(_):
            return softmax_cross_entropy(self.forward(X), y)[0]
        grads = {key: numeric_gradient(loss, value) for key, value in self.params.items()}
        return loss(None), grads
