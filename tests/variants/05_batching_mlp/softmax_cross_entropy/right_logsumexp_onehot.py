# Document 004's PyTorch convention, -s_y + log sum exp(s), with a one-hot matrix Y.
def softmax_cross_entropy(S, y):
    N, C = S.shape
    top = S.max(axis=1, keepdims=True)
    lse = top + np.log(np.exp(S - top).sum(axis=1, keepdims=True))
    Y = np.eye(C)[y]
    loss = np.sum(Y * (lse - S)) / N
    return loss, (np.exp(S - lse) - Y) / N
