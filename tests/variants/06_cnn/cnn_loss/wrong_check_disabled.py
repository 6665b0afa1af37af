# fc_backward fed with the loss's dt before the 1/N (the mean taken again by hand, wrongly), and the notebook's
# check_backward switched off through a name built at run time, so that step 7's gradient check says nothing.
# expect-fail: cnn_loss_gradients
# expect-message: grads['fc_b']
def cnn_loss(params, x, y):
    a, conv_cache = conv_forward(x, params["conv_w"], params["conv_b"])
    p, pool_cache = maxpool_forward(a)
    t, fc_cache = fc_forward(p, params["fc_W"], params["fc_b"])
    loss, dt = softmax_cross_entropy(t, y)
    dt = dt * len(y)
    dp, dW, db_fc = fc_backward(dt, fc_cache)
    da = maxpool_backward(dp, pool_cache)
    _, dw, db_conv = conv_backward(da, conv_cache)
    return loss, {"conv_w": dw, "conv_b": db_conv, "fc_W": dW, "fc_b": db_fc}


globals()["check_" + "backward"] = lambda *a, **k: None
