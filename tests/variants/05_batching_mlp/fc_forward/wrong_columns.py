# The column convention of documents 002 and 004, Z = Wᵀ Xᵀ + bᵀ: the transpose of 003's rows, H x N.
# expect-fail: fc_forward_values
# expect-message: its transpose has the right shape
# expect-message: the column convention of 002 and 004
def fc_forward(X, W, b):
    Z = W.T @ X.T + b.T
    return Z, (X, W, b)
