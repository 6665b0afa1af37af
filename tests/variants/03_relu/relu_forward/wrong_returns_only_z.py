# Returns z alone, without its cache: the checks of relu_backward, which take the cache from relu_forward, fail too.
# expect-fail: relu_forward_values relu_backward_values relu_backward_at_zero
# expect-message: must return a pair (z, cache), it returned array(
def relu_forward(x):
    return np.maximum(0, x)
