# expect-fail: n_params_values
# expect-message: b^(1)
def n_params(D, H, C, L):
    if L < 3 or L % 2 == 0:
        raise ValueError(L)
    return D * H + ((L + 1) // 2 - 2) * H * H + H * C
