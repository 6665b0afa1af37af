# p @ p.T for a (1, C) row p is one number, the sum of the p_k^2, not the C x C table of the products p_i p_j.
# expect-fail: softmax_jacobian_two_cases softmax_jacobian_large_logits
# expect-message: softmax_jacobian(s) for s of shape (1, 5): every entry i != j of your J is the same number
def softmax_jacobian(s):
    p = softmax(s)
    return np.diagflat(p) - p @ p.T
