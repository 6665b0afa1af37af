# No derivation: course.gradcheck's numeric gradient of maxpool_forward (the setup cell imports it).
# expect-fail: maxpool_backward_values maxpool_backward_figures_4_5
# expect-message: maxpool_backward called course.gradcheck's numeric_gradient_array
def maxpool_backward(dout, cache):
    x = cache
    return numeric_gradient_array(lambda v: maxpool_forward(v)[0], x.copy(), dout)
