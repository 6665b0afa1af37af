# p clipped to [1e-7, 1 - 1e-7] as some libraries do: a sure right prediction costs 1e-7, a confident mistake at most 16.1.
# expect-fail: cross_entropy_values
# expect-message: grows without bound as p_y goes to 0
def cross_entropy(p, y):
    return float(-np.log(np.clip(p[0, y], 1e-7, 1 - 1e-7)))
