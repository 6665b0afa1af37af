# A step along the gradient: ascent.
# expect-fail: sgd_step_update
# expect-message: w + alpha dW = [[2.0, 1.0]]: a step along the gradient
def sgd_step(params, grads, alpha):
    for key in params:
        params[key] += alpha * grads[key]
