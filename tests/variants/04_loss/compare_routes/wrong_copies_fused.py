# Shows nothing: the "chain rule" gradient is the fused one again.
# expect-fail: compare_routes_agree
# expect-message: never calls softmax_jacobian
def compare_routes(s, y):
    _, ds_fused = softmax_cross_entropy(s, y)
    ds_chain = ds_fused.copy()
    return ds_chain, ds_fused, rel_error(ds_chain, ds_fused)
