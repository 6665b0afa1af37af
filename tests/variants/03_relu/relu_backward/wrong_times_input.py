# The ReLU's value used as its derivative.
# expect-fail: relu_backward_values
# expect-message: the upstream gradient times the mask 1[x > 0]
def relu_backward(dz, cache):
    return dz * np.maximum(0, cache)
