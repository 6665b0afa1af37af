# Central differences written by hand, one entry at a time, through relu_forward.
# expect-fail: relu_backward_values relu_backward_at_zero
# expect-message: relu_backward called relu_forward
def relu_backward(dz, cache):
    x = np.array(cache, dtype=float)
    h = 1e-5
    dx = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        old = x[k]
        x[k] = old + h
        up = np.sum(relu_forward(x)[0] * dz)
        x[k] = old - h
        down = np.sum(relu_forward(x)[0] * dz)
        x[k] = old
        dx[k] = (up - down) / (2 * h)
    return dx
