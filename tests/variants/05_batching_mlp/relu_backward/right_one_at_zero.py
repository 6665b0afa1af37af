# The other convention at 0 (>= instead of >): both are accepted away from the kink.
def relu_backward(dZ, cache):
    return np.where(cache >= 0, dZ, 0.0)
