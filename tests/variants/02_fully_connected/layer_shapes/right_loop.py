def layer_shapes(D, H, C, L):
    if not (isinstance(L, int) and L >= 3 and L % 2 == 1):
        raise ValueError("L must be an odd integer >= 3")
    shapes = []
    for i in range(L + 1):
        size = D if i == 0 else C if i == L else H
        shapes.append((1, size))
    return shapes
