# A wrong dW, and fc_backward itself switches the checks off at every call (check_backward for the visible
# check, check_derived in case a hidden test uses it): the hidden test imports its checkers again after the
# student's code has run.
# expect-fail: fc_backward_dW
# expect-message: dc/dW = xᵀ dc/dz
def fc_backward(dz, cache):
    for name in ("backward", "derived", "value", "gradient"):
        globals()["check_" + name] = lambda *a, **k: None
    x, W, b = cache
    return dz @ W.T, W * dz, dz.reshape(b.shape)
