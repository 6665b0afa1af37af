# Returns course.gradcheck's numeric gradient of the forward pass (numeric_gradient_array): every visible check
# passes, but nothing is derived.
# expect-fail: fc_backward_dX fc_backward_dW fc_backward_db
# expect-message: fc_backward called course.gradcheck's numeric_gradient_array
# expect-message: it computes a numeric gradient instead of the derivative
from course.gradcheck import numeric_gradient_array


def fc_backward(dZ, cache):
    X, W, b = cache
    dX = numeric_gradient_array(lambda v: fc_forward(v, W, b)[0], X.copy(), dZ)
    dW = numeric_gradient_array(lambda v: fc_forward(X, v, b)[0], W.copy(), dZ)
    db = numeric_gradient_array(lambda v: fc_forward(X, W, v)[0], b.copy(), dZ)
    return dX, dW, db
