# The probability of the predicted class instead of the true one (passes the visible check, where they coincide).
# expect-fail: cross_entropy_values
# expect-message: only the probability of the true class
def cross_entropy(p, y):
    return float(-np.log(np.max(p)))
