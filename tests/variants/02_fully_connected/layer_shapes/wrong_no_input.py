# Forgets x^(0): L shapes instead of L + 1.
# expect-fail: layer_shapes_values
def layer_shapes(D, H, C, L):
    if L < 3 or L % 2 == 0:
        raise ValueError(L)
    return [(1, H)] * (L - 1) + [(1, C)]
