# Sums over axis 0, the single sample of a (1, C) array: every probability becomes 1.
# expect-fail: softmax_values
# expect-message: the last axis
def softmax(s):
    e = np.exp(s - np.max(s, axis=-1, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
