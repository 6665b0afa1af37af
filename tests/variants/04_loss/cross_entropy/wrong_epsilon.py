# A small constant added inside the log "for safety": c is capped at -ln 1e-12 = 27.6 and is negative at p_y = 1.
# expect-fail: cross_entropy_values
# expect-message: c = -ln p_y = 69.0776, got 27.63
def cross_entropy(p, y):
    return float(-np.log(p[0, y] + 1e-12))
