# Returns course.gradcheck's numeric gradient of the forward pass: every visible check away from 0 passes, and
# nothing is derived.
# expect-fail: relu_backward_values relu_backward_at_zero
# expect-message: relu_backward called course.gradcheck's numeric_gradient_array
from course.gradcheck import numeric_gradient_array


def relu_backward(dz, cache):
    return numeric_gradient_array(lambda v: relu_forward(v)[0], np.array(cache, dtype=float), dz)
