# The right loss, and central differences of it written by hand.
# expect-fail: square_error_gradient
# expect-message: the precision of a numeric (finite-difference) gradient
def square_error(y_pred, d):
    def loss_of(q):
        return 0.5 * float(np.sum((q - d) ** 2))
    h = 1e-5
    dy = np.zeros(y_pred.shape)
    for k in range(y_pred.shape[1]):
        step = np.zeros(y_pred.shape)
        step[0, k] = h
        dy[0, k] = (loss_of(y_pred + step) - loss_of(y_pred - step)) / (2 * h)
    return loss_of(y_pred), dy
