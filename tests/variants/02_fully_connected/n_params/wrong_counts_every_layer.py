# Counts L FC layers (the ReLU layers as if they had weights).
# expect-fail: n_params_values
def n_params(D, H, C, L):
    if L < 3 or L % 2 == 0:
        raise ValueError(L)
    return (D * H + H) + (L - 2) * (H * H + H) + (H * C + C)
