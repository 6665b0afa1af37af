# dc/dz / 2 at exactly 0 (what a central difference gives at the kink): neither of the two conventions.
# expect-fail: relu_backward_at_zero
# expect-message: nothing in between
def relu_backward(dz, cache):
    return dz * np.heaviside(cache, 0.5)
