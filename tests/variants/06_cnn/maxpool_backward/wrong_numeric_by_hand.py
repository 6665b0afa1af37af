# No derivation: central differences written by hand through maxpool_forward.
# expect-fail: maxpool_backward_values maxpool_backward_figures_4_5
# expect-message: maxpool_backward called maxpool_forward
def maxpool_backward(dout, cache):
    x = cache.copy()
    h = 1e-6
    dx = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = maxpool_forward(x)[0]
        x[idx] = old - h
        minus = maxpool_forward(x)[0]
        x[idx] = old
        dx[idx] = np.sum((plus - minus) * dout) / (2 * h)
    return dx
