# Rebinds the local name to a new dict: the caller's params never change.
# expect-fail: sgd_step_update
# expect-message: not a new dict
def sgd_step(params, grads, alpha):
    params = {key: params[key] - alpha * grads[key] for key in params}
    return params
