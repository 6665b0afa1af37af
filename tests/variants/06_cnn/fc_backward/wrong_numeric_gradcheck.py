# No derivation: course.gradcheck's numeric gradients of fc_forward (the setup cell imports numeric_gradient_array).
# expect-fail: fc_backward_gradients
# expect-message: fc_backward called course.gradcheck's numeric_gradient_array
def fc_backward(dt, cache):
    x, W, b = cache
    dx = numeric_gradient_array(lambda v: fc_forward(v, W, b)[0], x.copy(), dt)
    dW = numeric_gradient_array(lambda v: fc_forward(x, v, b)[0], W.copy(), dt)
    db = numeric_gradient_array(lambda v: fc_forward(x, W, v)[0], b.copy(), dt)
    return dx, dW, db
