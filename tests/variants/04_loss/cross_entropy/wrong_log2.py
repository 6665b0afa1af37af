# expect-fail: cross_entropy_values
# expect-message: natural logarithm
def cross_entropy(p, y):
    return float(-np.log2(p[0, y]))
