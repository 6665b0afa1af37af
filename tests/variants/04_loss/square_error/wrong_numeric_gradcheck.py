# The right loss, and as gradient course.gradcheck's numeric gradient of it.
# expect-fail: square_error_gradient
# expect-message: square_error called course.gradcheck's numeric_gradient
from course.gradcheck import numeric_gradient


def square_error(y_pred, d):
    def loss_of(q):
        return 0.5 * float(np.sum((q - d) ** 2))
    return loss_of(y_pred), numeric_gradient(loss_of, np.array(y_pred, dtype=np.float64))
