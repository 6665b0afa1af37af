# On the diagonal, treats Sum as a constant: d/ds_i exp(s_i) / Sum = p_i.
# expect-fail: softmax_jacobian_two_cases
# expect-message: quotient rule
def softmax_jacobian(s):
    p = softmax(s).reshape(-1)
    J = -np.outer(p, p)
    J[np.diag_indices_from(J)] = p
    return J
