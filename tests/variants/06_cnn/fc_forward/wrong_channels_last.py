# Flattens each sample channels last (rows, columns, channels), as Keras does: not numpy's order.
# expect-fail: fc_forward_values
# expect-message: numpy's order
def fc_forward(x, W, b):
    flat = x.transpose(0, 2, 3, 1).reshape(len(x), -1) if x.ndim == 4 else x.reshape(len(x), -1)
    return flat @ W + b, (x, W, b)
