# CS231n's way: copy the upstream gradient, then zero it where the input was not positive.
def relu_backward(dz, cache):
    dx = np.array(dz, copy=True)
    dx[cache <= 0] = 0
    return dx
