# The gradient with the 2 of the square kept, and the checks switched off through names built at run time.
# expect-fail: square_error_gradient
# expect-message: with the 1/2 the 2 of the derivative of the square cancels
globals()["check_" + "backward"] = lambda *a, **k: None
globals()["check_" + "derived"] = lambda *a, **k: None


def square_error(y_pred, d):
    return 0.5 * float(np.sum((y_pred - d) ** 2)), 2 * (y_pred - d)
