# The row maximum subtracted in place (t -= ...): the caller's scores change, and the gradient check's perturbed points
# move under it; the message says so first and alone (not a wrong formula, not a kink).
# expect-fail: softmax_cross_entropy_gradient
# expect-message: softmax_cross_entropy changed its input in place: while the gradient check evaluated it
def softmax_cross_entropy(t, y):
    N = len(y)
    t -= t.max(axis=1, keepdims=True)
    p = np.exp(t) / np.exp(t).sum(axis=1, keepdims=True)
    loss = float(-np.log(p[np.arange(N), y]).mean())
    p[np.arange(N), y] -= 1.0
    return loss, p / N
