# No derivation: central differences written by hand, each entry of x, w and b moved by +-h through conv_forward.
# expect-fail: conv_backward_dw conv_backward_db conv_backward_dx
# expect-message: conv_backward called conv_forward
# expect-message: instead of the derivative
def conv_backward(dout, cache):
    x, w, b = cache
    h = 1e-5

    def central(a):
        grad = np.zeros(a.shape)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + h
            plus = np.sum(conv_forward(x, w, b)[0] * dout)
            a[idx] = old - h
            minus = np.sum(conv_forward(x, w, b)[0] * dout)
            a[idx] = old
            grad[idx] = (plus - minus) / (2 * h)
        return grad

    x, w, b = x.copy(), w.copy(), b.copy()
    return central(x), central(w), central(b)
