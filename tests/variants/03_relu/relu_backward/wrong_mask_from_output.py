# Mask taken on the output z with >= : every negative input (z = 0) lets the gradient through.
# expect-fail: relu_backward_values
# expect-message: the upstream gradient times the mask
def relu_backward(dz, cache):
    z = np.maximum(0, cache)
    return dz * (z >= 0)
