# A central difference of max(0, x) written inline for the whole array at once (relu_forward is never called, no
# course function is used): the gradient has the precision of a finite difference, not of the mask.
# expect-fail: relu_backward_values
# expect-message: the precision of a numeric (finite-difference) gradient
def relu_backward(dZ, cache):
    X = cache
    h = 1e-5
    return dZ * (np.maximum(X + h, 0.0) - np.maximum(X - h, 0.0)) / (2 * h)
