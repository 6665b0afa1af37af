# Returns course.gradcheck's numeric gradient of relu_forward through dZ: every visible check passes, but nothing is
# derived.
# expect-fail: relu_backward_values
# expect-message: relu_backward called course.gradcheck's numeric_gradient_array
from course.gradcheck import numeric_gradient_array


def relu_backward(dZ, cache):
    X = np.array(cache, dtype=np.float64)
    return numeric_gradient_array(lambda v: relu_forward(v)[0], X, dZ)
