# expect-fail: cross_entropy_values
def cross_entropy(p, y):
    return float(np.log(p[0, y]))
