# At exactly 0, the mean of the two one-sided derivatives, 1/2: what a numeric gradient gives at the kink, and not
# one of the two values step 3 accepts (0 or the upstream gradient).
# expect-fail: relu_backward_values
# expect-message: exactly at the kink
# expect-message: half the upstream gradient is what a numeric (finite-difference) gradient gives at a kink
def relu_backward(dZ, cache):
    X = cache
    return dZ * ((X > 0) + 0.5 * (X == 0))
