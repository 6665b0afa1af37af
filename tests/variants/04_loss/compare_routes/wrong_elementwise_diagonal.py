# dc/dp times the diagonal of J, entry by entry: drops the sum over i of the chain rule.
# expect-fail: compare_routes_agree
# expect-message: the two routes differ
def compare_routes(s, y):
    p = softmax(s)
    ds_chain = cross_entropy_backward(p, y) * np.diag(softmax_jacobian(s))
    _, ds_fused = softmax_cross_entropy(s, y)
    return ds_chain, ds_fused, rel_error(ds_chain, ds_fused)
