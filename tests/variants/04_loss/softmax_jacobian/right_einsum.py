def softmax_jacobian(s):
    p = softmax(s)[0]
    return np.einsum("i,ij->ij", p, np.eye(p.size)) - np.einsum("i,j->ij", p, p)
