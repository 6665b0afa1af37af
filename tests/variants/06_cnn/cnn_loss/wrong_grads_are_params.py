# The gradients written into params itself (grads = params): cnn_loss replaces the parameters by their gradients.
# expect-fail: cnn_loss_value
# expect-message: cnn_loss changed params['conv_w']: it computes gradients, it does not update (the training loop of step 8 takes the step); return the gradients in a new dict
def cnn_loss(params, x, y):
    a, conv_cache = conv_forward(x, params["conv_w"], params["conv_b"])
    p, pool_cache = maxpool_forward(a)
    t, fc_cache = fc_forward(p, params["fc_W"], params["fc_b"])
    loss, dt = softmax_cross_entropy(t, y)
    dp, dW, db_fc = fc_backward(dt, fc_cache)
    da = maxpool_backward(dp, pool_cache)
    _, dw, db_conv = conv_backward(da, conv_cache)
    grads = params
    grads["conv_w"], grads["conv_b"], grads["fc_W"], grads["fc_b"] = dw, db_conv, dW, db_fc
    return loss, grads
