# A wrong dW (the weights instead of the input: dW = W ⊙ dz) with the visible check switched off through a
# name built at run time, so the notebook shows no failure.
# expect-fail: fc_backward_dW
# expect-message: but the exact gradient is
# expect-message: dc/dW = xᵀ dc/dz
globals()["check_" + "backward"] = lambda *a, **k: None


def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W.T, W * dz, dz.reshape(b.shape)
