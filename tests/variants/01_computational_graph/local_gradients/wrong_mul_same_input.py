# Each input's derivative taken as itself (the visible check at (8, 6) fails too).
# expect-fail: local_gradients_arithmetic
# patch: return (b, a) -> return (a, b)
