# The document's two cases, entry by entry.
def softmax_jacobian(s):
    p = softmax(s).reshape(-1)
    C = p.size
    J = np.zeros((C, C))
    for i in range(C):
        for j in range(C):
            if i == j:
                J[i, j] = p[i] * (1 - p[i])      # eq. 9
            else:
                J[i, j] = -p[i] * p[j]           # eq. 7
    return J
