# Notebook 04's single-sample rule, row by row, and the mean.
import math


def softmax_cross_entropy(S, y):
    N, C = S.shape
    loss, dS = 0.0, np.zeros((N, C))
    for i in range(N):
        top = max(S[i])
        e = [math.exp(v - top) for v in S[i]]
        total = sum(e)
        for k in range(C):
            p = e[k] / total
            dS[i, k] = (p - (1.0 if k == y[i] else 0.0)) / N
        loss += -math.log(e[y[i]] / total) / N
    return loss, dS
