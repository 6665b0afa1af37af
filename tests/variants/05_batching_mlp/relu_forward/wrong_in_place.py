# Clips X in place: the caller's X (and the cache) are changed.
# expect-fail: relu_forward_values
# expect-message: in place
def relu_forward(X):
    X[X < 0] = 0.0
    return X, X
