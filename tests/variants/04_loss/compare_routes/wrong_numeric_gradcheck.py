# Calls the two functions of the chain rule, but returns course.gradcheck's numeric gradient of the loss as ds_chain.
# expect-fail: compare_routes_agree
# expect-message: compare_routes called course.gradcheck's numeric_gradient
from course.gradcheck import numeric_gradient


def compare_routes(s, y):
    p = softmax(s)
    cross_entropy_backward(p, y), softmax_jacobian(s)
    ds_chain = numeric_gradient(lambda q: cross_entropy(softmax(q), y), np.array(s, dtype=np.float64))
    _, ds_fused = softmax_cross_entropy(s, y)
    return ds_chain, ds_fused, rel_error(ds_chain, ds_fused)
