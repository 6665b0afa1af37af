# compare_routes is right, but the cross_entropy_backward of step 2 (redefined here) divides by the label: the visible
# check names cross_entropy_backward.
# expect-fail: compare_routes_agree
# expect-message: compare_routes calls your cross_entropy_backward, which disagrees with central differences
def cross_entropy_backward(p, y):
    dp = np.zeros_like(p)
    dp[0, y] = -1.0 / y
    return dp


def compare_routes(s, y):
    p = softmax(s)
    ds_chain = cross_entropy_backward(p, y) @ softmax_jacobian(s)
    _, ds_fused = softmax_cross_entropy(s, y)
    return ds_chain, ds_fused, rel_error(ds_chain, ds_fused)
