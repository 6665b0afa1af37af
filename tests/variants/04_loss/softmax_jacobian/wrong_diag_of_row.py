# np.diag of a (1, C) row is its diagonal, one number, which then spreads over the whole matrix: J = p_0 - p_i p_j.
# expect-fail: softmax_jacobian_two_cases softmax_jacobian_large_logits
# expect-message: a term meant for the diagonal alone was spread over the whole matrix
def softmax_jacobian(s):
    p = softmax(s)
    return np.diag(p) - np.outer(p, p)
