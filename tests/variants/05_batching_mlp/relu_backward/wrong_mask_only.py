# Forgets the upstream gradient: returns the local part only.
# expect-fail: relu_backward_values
# expect-message: the upstream gradient times the mask
def relu_backward(dZ, cache):
    return (cache > 0).astype(float)
