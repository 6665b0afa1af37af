# Central differences of an inline softmax (no call of softmax): right to about 1e-10, derived from nothing.
# expect-fail: softmax_jacobian_two_cases
# expect-message: the precision of a numeric (finite-difference) gradient
def softmax_jacobian(s):
    def p_of(q):
        e = np.exp(q - np.max(q))
        return (e / e.sum()).ravel()
    C = s.shape[1]
    h = 1e-5
    J = np.zeros((C, C))
    for j in range(C):
        step = np.zeros((1, C))
        step[0, j] = h
        J[:, j] = (p_of(s + step) - p_of(s - step)) / (2 * h)
    return J
