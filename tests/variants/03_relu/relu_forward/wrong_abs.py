# expect-fail: relu_forward_values
# expect-message: the negative entries become 0
def relu_forward(x):
    return np.abs(x), x
