# Shifting by the mean is right for close scores, but exp(max - mean) still overflows when the scores are far apart.
# expect-fail: softmax_large_logits
# expect-message: a shift by their mean (here 1) still leaves exp(899)
def softmax(s):
    e = np.exp(s - np.mean(s, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
