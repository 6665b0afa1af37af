# -sum_k ln p_k: every class, not the true one.
# expect-fail: cross_entropy_values
def cross_entropy(p, y):
    return float(-np.sum(np.log(p)))
