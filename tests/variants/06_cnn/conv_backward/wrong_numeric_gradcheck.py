# No derivation: the three gradients are course.gradcheck's numeric gradients of conv_forward (imported by the setup
# cell). Every visible check passes; the grader sees the calls.
# expect-fail: conv_backward_dw conv_backward_db conv_backward_dx
# expect-message: conv_backward called course.gradcheck's numeric_gradient_array
def conv_backward(dout, cache):
    x, w, b = cache
    dx = numeric_gradient_array(lambda v: conv_forward(v, w, b)[0], x.copy(), dout)
    dw = numeric_gradient_array(lambda v: conv_forward(x, v, b)[0], w.copy(), dout)
    db = numeric_gradient_array(lambda v: conv_forward(x, w, v)[0], b.copy(), dout)
    return dx, dw, db
