# Shifts a copy for a row (1, C) but works in place on a 1-D s: the hidden test checks (C,) too.
# expect-fail: softmax_values
# expect-message: softmax changed its argument s in place
def softmax(s):
    if np.ndim(s) == 2:
        s = s.copy()
    s -= np.max(s, axis=-1, keepdims=True)
    np.exp(s, out=s)
    s /= np.sum(s, axis=-1, keepdims=True)
    return s.copy()
