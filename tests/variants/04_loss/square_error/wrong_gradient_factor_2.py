# The derivative of the square without the 1/2 of the loss.
# expect-fail: square_error_gradient
# expect-message: with the 1/2 the 2 of the derivative of the square cancels
def square_error(y_pred, d):
    return 0.5 * float(np.sum((y_pred - d) ** 2)), 2 * (y_pred - d)
