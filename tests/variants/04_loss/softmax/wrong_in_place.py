# Right values, but the caller's scores are shifted in place.
# expect-fail: softmax_values
# expect-message: in place
def softmax(s):
    s -= np.max(s, axis=-1, keepdims=True)
    e = np.exp(s)
    return e / np.sum(e, axis=-1, keepdims=True)
