# dW as the product of the sums (1_Nᵀ X)ᵀ (1_Nᵀ dZ) instead of the sum of the products Xᵀ dZ, with the visible check
# switched off through a name built at run time, so the notebook shows no failure.
# expect-fail: fc_backward_dW
# expect-message: dc/dW_mn = sum_i X_im dc/dZ_in
globals()["check_" + "backward"] = lambda *a, **k: None


def fc_backward(dZ, cache):
    X, W, b = cache
    dW = X.sum(axis=0, keepdims=True).T @ dZ.sum(axis=0, keepdims=True)
    return dZ @ W.T, dW, dZ.sum(axis=0, keepdims=True)
