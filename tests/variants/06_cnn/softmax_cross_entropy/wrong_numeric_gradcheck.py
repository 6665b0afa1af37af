# The loss derived, its gradient not: course.gradcheck's numeric_gradient of the loss (imported by hand).
# expect-fail: softmax_cross_entropy_gradient
# expect-message: softmax_cross_entropy called course.gradcheck's numeric_gradient
from course.gradcheck import numeric_gradient


def softmax_cross_entropy(t, y):
    N = len(y)

    def loss(s):
        shifted = s - s.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(N), y].mean())

    return loss(t), numeric_gradient(loss, np.array(t, dtype=float))
