# The max-pool's backward pass skipped: dL/dpool copied to the 4 entries of each window.
# expect-fail: cnn_loss_gradients
# expect-message: grads['conv_b']
def cnn_loss(params, x, y):
    a, conv_cache = conv_forward(x, params["conv_w"], params["conv_b"])
    p, pool_cache = maxpool_forward(a)
    t, fc_cache = fc_forward(p, params["fc_W"], params["fc_b"])
    loss, dt = softmax_cross_entropy(t, y)
    dp, dW, db_fc = fc_backward(dt, fc_cache)
    da = np.repeat(np.repeat(dp, 2, axis=2), 2, axis=3)
    _, dw, db_conv = conv_backward(da, conv_cache)
    return loss, {"conv_w": dw, "conv_b": db_conv, "fc_W": dW, "fc_b": db_fc}
