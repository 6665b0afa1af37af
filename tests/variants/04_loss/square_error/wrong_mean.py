# A mean over the K entries instead of the sum.
# expect-fail: square_error_loss square_error_gradient
def square_error(y_pred, d):
    K = y_pred.shape[1]
    return 0.5 * float(np.mean((y_pred - d) ** 2)), (y_pred - d) / K
