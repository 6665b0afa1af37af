# p = exp(s - logsumexp(s)), the log-sum-exp computed stably.
def softmax(s):
    top = np.max(s, axis=-1, keepdims=True)
    lse = top + np.log(np.sum(np.exp(s - top), axis=-1, keepdims=True))
    return np.exp(s - lse)
