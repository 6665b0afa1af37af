def n_params(D, H, C, L):
    if L < 3 or L % 2 == 0:
        raise ValueError("L must be odd and >= 3")
    sizes = [D] + [H] * (L - 1) + [C]
    return sum(sizes[i - 1] * sizes[i] + sizes[i] for i in range(1, L + 1, 2))
