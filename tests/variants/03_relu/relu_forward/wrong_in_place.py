# Clips x in place: the caller's x (and the cache) lose their negative entries.
# expect-fail: relu_forward_values
# expect-message: in place
# expect-message: leave x as it was
def relu_forward(x):
    x[x < 0] = 0
    return x, x
