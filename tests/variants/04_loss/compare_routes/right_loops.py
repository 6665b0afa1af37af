# 003 eq. 7 written out: dc/ds_j = sum_i dc/dp_i dp_i/ds_j.
def compare_routes(s, y):
    dp = cross_entropy_backward(softmax(s), y)
    J = softmax_jacobian(s)
    C = s.shape[1]
    ds_chain = np.zeros((1, C))
    for j in range(C):
        for i in range(C):
            ds_chain[0, j] += dp[0, i] * J[i, j]
    loss, ds_fused = softmax_cross_entropy(s, y)
    return ds_chain, ds_fused, rel_error(ds_chain, ds_fused)
