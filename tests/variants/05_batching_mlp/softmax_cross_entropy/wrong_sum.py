# The cost of document 004, a sum: the 1/N of eq. 5 is missing (in the loss and in dS).
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: not the sum
# expect-message: off by a factor N
def softmax_cross_entropy(S, y):
    N = S.shape[0]
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    rows = np.arange(N)
    dS = P.copy()
    dS[rows, y] -= 1.0
    return float(-np.sum(np.log(P[rows, y]))), dS
