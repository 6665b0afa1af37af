# A leaky ReLU's derivative: 0.01 where x < 0.
# expect-fail: relu_backward_values
def relu_backward(dz, cache):
    return dz * np.where(cache > 0, 1.0, 0.01)
