# The right loss, and as gradient course.gradcheck's numeric gradient of that loss.
# expect-fail: softmax_cross_entropy_gradient
# expect-message: softmax_cross_entropy called course.gradcheck's numeric_gradient
from course.gradcheck import numeric_gradient


def softmax_cross_entropy(s, y):
    def loss_of(q):
        top = np.max(q)
        return float(top + np.log(np.sum(np.exp(q - top))) - q[0, y])
    return loss_of(s), numeric_gradient(loss_of, np.array(s, dtype=np.float64))
