# New arrays in the same dict: the model reads params[k] at every call, so it sees them.
def sgd_step(params, grads, alpha):
    for key, value in list(params.items()):
        params[key] = value - alpha * grads[key]
