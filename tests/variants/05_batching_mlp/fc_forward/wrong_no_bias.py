# Forgets the bias.
# expect-fail: fc_forward_values
def fc_forward(X, W, b):
    return X @ W, (X, W, b)
