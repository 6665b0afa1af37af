# dW transposed the wrong way round and transposed back "to fit" (dt^T x, then .T of a wrong product): here simply the
# flattened input times dt with the samples in reverse order; the notebook's check_backward is switched off through a
# name built at run time. The hidden tests hold their own checkers.
# expect-fail: fc_backward_gradients
# expect-message: fc_backward with x of shape (4, 3, 2, 5)
def fc_backward(dt, cache):
    x, W, b = cache
    flat = x.reshape(len(x), -1)
    return (dt @ W.T).reshape(x.shape), flat.T @ dt[::-1], dt.sum(axis=0)


globals()["check_" + "backward"] = lambda *a, **k: None
