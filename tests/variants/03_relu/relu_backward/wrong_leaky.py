# A leaky ReLU's derivative: 0.01 where x < 0.
# expect-fail: relu_backward_values
# expect-message: 0 where x_k < 0 (§3.2): the upstream gradient times the mask 1[x > 0]
def relu_backward(dz, cache):
    return dz * np.where(cache > 0, 1.0, 0.01)
