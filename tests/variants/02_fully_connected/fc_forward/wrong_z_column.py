# z returned as a column (H x 1), the convention of document 000.
# expect-fail: fc_forward_values
# expect-message: transpose
def fc_forward(x, W, b):
    z = W.T @ x.T + np.reshape(b, (-1, 1))
    return z, (x, W, b)
