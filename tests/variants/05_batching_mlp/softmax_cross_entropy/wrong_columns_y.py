# P[:, y]: an N x N array, the columns y_0, ..., y_(N-1) of every row.
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: one entry per row
def softmax_cross_entropy(S, y):
    N = S.shape[0]
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    dS = P.copy()
    dS[:, y] -= 1.0 / N
    return float(-np.mean(np.log(P[:, y]))), dS / N
