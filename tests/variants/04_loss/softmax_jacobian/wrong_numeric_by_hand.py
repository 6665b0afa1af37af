# The finite differences of the notebook's own comparison cell, returned as the Jacobian.
# expect-fail: softmax_jacobian_two_cases
# expect-message: softmax_jacobian called softmax
def softmax_jacobian(s):
    C = s.shape[1]
    h = 1e-6
    J = np.zeros((C, C))
    for j in range(C):
        step = np.zeros((1, C))
        step[0, j] = h
        J[:, j] = ((softmax(s + step) - softmax(s - step)) / (2 * h)).ravel()
    return J
