# J times dc/dp as a column: a (C, 1) column instead of a (1, C) row.
# expect-fail: compare_routes_agree
# expect-message: (1, 5)
def compare_routes(s, y):
    p = softmax(s)
    ds_chain = softmax_jacobian(s) @ cross_entropy_backward(p, y).T
    _, ds_fused = softmax_cross_entropy(s, y)
    return ds_chain, ds_fused, rel_error(ds_chain, ds_fused)
