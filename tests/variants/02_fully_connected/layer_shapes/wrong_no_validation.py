# Accepts an even L.
# expect-message: must raise ValueError
def layer_shapes(D, H, C, L):
    return [(1, D)] + [(1, H)] * (L - 1) + [(1, C)]
