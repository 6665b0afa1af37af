# expect-fail: fc_forward_values
# expect-message: each output adds its own bias
def fc_forward(x, W, b):
    return x @ W, (x, W, b)
