# Eq. 7 and 9 with exponentials and Sum, the scores shifted by their max first.
def softmax_jacobian(s):
    e = np.exp(s - np.max(s)).reshape(-1)
    total = e.sum()
    J = -np.outer(e, e) / total ** 2
    J[np.diag_indices_from(J)] = e * (total - e) / total ** 2
    return J
