# -1/p on every entry.
# expect-fail: cross_entropy_backward_gradient
# expect-message: does not depend
def cross_entropy_backward(p, y):
    return -1.0 / p
