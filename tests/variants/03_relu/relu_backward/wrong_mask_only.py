# Returns the mask without the upstream gradient.
# expect-fail: relu_backward_values
# expect-message: the upstream gradient times the mask
def relu_backward(dz, cache):
    return (cache > 0).astype(float)
