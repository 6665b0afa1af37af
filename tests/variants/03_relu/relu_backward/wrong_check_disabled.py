# The mask without the upstream gradient, with the visible check switched off through a name built at run time.
# expect-fail: relu_backward_values
# expect-message: but the exact gradient is
# expect-message: the upstream gradient times the mask
globals()["check_" + "backward"] = lambda *a, **k: None


def relu_backward(dz, cache):
    return (cache > 0).astype(float)
