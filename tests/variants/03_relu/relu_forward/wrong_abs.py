# expect-fail: relu_forward_values
def relu_forward(x):
    return np.abs(x), x
