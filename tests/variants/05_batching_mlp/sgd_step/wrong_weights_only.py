# Updates the weights and forgets the biases.
# expect-fail: sgd_step_update
# expect-message: params['b1'] did not change
def sgd_step(params, grads, alpha):
    for key in params:
        if key.startswith("W"):
            params[key] -= alpha * grads[key]
