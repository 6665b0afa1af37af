# expect-fail: fc_forward_values
def fc_forward(x, W, b):
    return x @ W, (x, W, b)
