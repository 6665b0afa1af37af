# Returns course.gradcheck's numeric gradient of the forward pass (numeric_gradient_array, imported in the
# setup cell): every visible check passes, but nothing is derived.
# expect-fail: fc_backward_dx fc_backward_dW fc_backward_db
# expect-message: fc_backward called course.gradcheck's numeric_gradient_array
def fc_backward(dz, cache):
    x, W, b = cache
    dx = numeric_gradient_array(lambda v: fc_forward(v, W, b)[0], x.copy(), dz)
    dW = numeric_gradient_array(lambda v: fc_forward(x, v, b)[0], W.copy(), dz)
    db = numeric_gradient_array(lambda v: fc_forward(x, W, v)[0], b.copy(), dz)
    return dx, dW, db
