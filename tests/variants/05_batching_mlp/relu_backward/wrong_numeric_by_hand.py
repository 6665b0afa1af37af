# Central differences written by hand, entry by entry, through relu_forward: no course function is used, every
# visible check passes, and nothing is derived.
# expect-fail: relu_backward_values
# expect-message: relu_backward called relu_forward
# expect-message: instead of the derivative
def relu_backward(dZ, cache):
    X = np.array(cache, dtype=np.float64)
    h = 1e-5
    dX = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        old = X[idx]
        X[idx] = old + h
        up = np.sum(relu_forward(X)[0] * dZ)
        X[idx] = old - h
        down = np.sum(relu_forward(X)[0] * dZ)
        X[idx] = old
        dX[idx] = (up - down) / (2 * h)
    return dX
