# Zeroes the upstream gradient in place and returns it: dx is right, but the caller's dz is lost (CS231n's way
# without its copy).
# expect-fail: relu_backward_values
# expect-message: in place
# expect-message: leave dz as it was
def relu_backward(dz, cache):
    dz[cache <= 0] = 0
    return dz
