# No backward pass at all: central differences of the network's loss written by hand, through the layers' forwards.
# expect-fail: cnn_loss_gradients
# expect-message: cnn_loss called conv_forward
def cnn_loss(params, x, y):
    def loss_of(p):
        a, _ = conv_forward(x, p["conv_w"], p["conv_b"])
        q, _ = maxpool_forward(a)
        t, _ = fc_forward(q, p["fc_W"], p["fc_b"])
        return softmax_cross_entropy(t, y)[0]

    h, grads = 1e-5, {}
    for name in params:
        value = params[name].copy()
        grad = np.zeros(value.shape)
        for idx in np.ndindex(value.shape):
            old = value[idx]
            value[idx] = old + h
            plus = loss_of({**params, name: value})
            value[idx] = old - h
            minus = loss_of({**params, name: value})
            value[idx] = old
            grad[idx] = (plus - minus) / (2 * h)
        grads[name] = grad
    return loss_of(params), grads
