# (dp J)^T = J^T dp^T.
def compare_routes(s, y):
    ds_chain = (softmax_jacobian(s).T @ cross_entropy_backward(softmax(s), y).T).T
    ds_fused = softmax_cross_entropy(s, y)[1]
    return ds_chain, ds_fused, float(rel_error(ds_chain, ds_fused))
