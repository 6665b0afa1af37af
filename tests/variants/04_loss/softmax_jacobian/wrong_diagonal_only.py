# Only the case i = c: p_i depends on s_i only.
# expect-fail: softmax_jacobian_two_cases
# expect-message: not the entries i != j
def softmax_jacobian(s):
    p = softmax(s).reshape(-1)
    return np.diag(p * (1 - p))
