# The gradients as course.gradcheck's numeric gradient of the cost of document 002's forward pass: nothing of the
# recursion is derived.
# expect-fail: backprop_columns_gradients backprop_columns_transposes
# expect-message: backprop_columns called course.gradcheck's numeric_gradient
from course.gradcheck import numeric_gradient


def backprop_columns(w, b, x, y):
    w = [np.array(m, dtype=np.float64) for m in w]
    b = [np.array(v, dtype=np.float64) for v in b]

    def cost(_):
        a = x
        for k in range(len(w)):
            z = w[k] @ a + b[k]
            a = np.maximum(0.0, z) if k + 1 < len(w) else z
        return softmax_cross_entropy(a.T, np.array([y]))[0]

    return cost(None), [numeric_gradient(cost, m) for m in w], [numeric_gradient(cost, v) for v in b]
