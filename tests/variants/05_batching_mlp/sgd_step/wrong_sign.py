# A step along the gradient: ascent.
# expect-fail: sgd_step_update
# expect-message: against the gradient
def sgd_step(params, grads, alpha):
    for key in params:
        params[key] += alpha * grads[key]
