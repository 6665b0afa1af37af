# ||y - d||^2 without the 1/2 (the gradient y - d is then half the true one).
# expect-fail: square_error_loss
# expect-message: 1/2
def square_error(y_pred, d):
    return float(np.sum((y_pred - d) ** 2)), y_pred - d
