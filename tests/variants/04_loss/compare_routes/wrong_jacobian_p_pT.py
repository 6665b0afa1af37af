# compare_routes is right, but the softmax_jacobian of step 3 (redefined here) is wrong, p @ p.T: the visible check names
# softmax_jacobian instead of blaming compare_routes.
# expect-fail: compare_routes_agree
# expect-message: compare_routes calls your softmax_jacobian, which disagrees with central differences
# expect-message: fix softmax_jacobian first
def softmax_jacobian(s):
    p = softmax(s)
    return np.diagflat(p) - p @ p.T


def compare_routes(s, y):
    p = softmax(s)
    ds_chain = cross_entropy_backward(p, y) @ softmax_jacobian(s)
    _, ds_fused = softmax_cross_entropy(s, y)
    return ds_chain, ds_fused, rel_error(ds_chain, ds_fused)
