# dS as course.gradcheck's numeric gradient of the loss it has just written: the visible checks pass, but the
# gradient is not derived.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: softmax_cross_entropy called course.gradcheck's numeric_gradient
from course.gradcheck import numeric_gradient


def softmax_cross_entropy(S, y):
    def cost(S):
        shifted = S - np.max(S, axis=1, keepdims=True)
        logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        return float(-np.mean(logp[np.arange(S.shape[0]), y]))

    return cost(S), numeric_gradient(cost, np.array(S, dtype=np.float64))
