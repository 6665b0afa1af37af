# Central differences of the whole array at once: the ReLU acts entry by entry, so two calls of relu_forward
# give every partial derivative (no call count can see it); the result has the precision of a finite difference.
# expect-fail: relu_backward_values relu_backward_at_zero
# expect-message: numeric (finite-difference) gradient
def relu_backward(dz, cache):
    h = 1e-5
    return dz * (relu_forward(cache + h)[0] - relu_forward(cache - h)[0]) / (2 * h)
