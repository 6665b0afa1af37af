# Adds b to the first sample only (1_N b read as b on one row).
# expect-fail: fc_forward_values
# expect-message: the same bias row b is added to every row
def fc_forward(X, W, b):
    Z = X @ W
    Z[0] += b[0]
    return Z, (X, W, b)
