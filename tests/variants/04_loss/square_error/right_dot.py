def square_error(y_pred, d):
    r = y_pred - d
    return 0.5 * (r @ r.T).item(), r
