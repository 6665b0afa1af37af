# dc/dp as course.gradcheck's numeric gradient of the student's own cross_entropy: passes every visible check, derives nothing.
# expect-fail: cross_entropy_backward_gradient
# expect-message: cross_entropy_backward called course.gradcheck's numeric_gradient
from course.gradcheck import numeric_gradient


def cross_entropy_backward(p, y):
    return numeric_gradient(lambda q: cross_entropy(q, y), np.array(p, dtype=np.float64))
