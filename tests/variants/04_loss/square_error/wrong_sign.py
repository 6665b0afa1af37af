# expect-fail: square_error_gradient
# expect-message: times -1
def square_error(y_pred, d):
    return 0.5 * float(np.sum((y_pred - d) ** 2)), d - y_pred
