# Forgets the case i = c: -p_i p_j on the diagonal too.
# expect-fail: softmax_jacobian_two_cases softmax_jacobian_large_logits
# expect-message: not the diagonal
def softmax_jacobian(s):
    p = softmax(s).reshape(-1)
    return -np.outer(p, p)
