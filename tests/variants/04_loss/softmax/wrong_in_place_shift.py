# s -= max(s): right values, but the caller's scores are shifted in place (passed every visible check before).
# expect-fail: softmax_values
# expect-message: softmax changed its argument in place: s was [[0, ln 3]]
def softmax(s):
    s -= np.max(s, axis=-1, keepdims=True)
    e = np.exp(s)
    return e / np.sum(e, axis=-1, keepdims=True)
