# The layers as a list, run forward, then backward in the reverse order.
def cnn_loss(params, x, y):
    layers = [(conv_forward, conv_backward, ("conv_w", "conv_b")),
              (maxpool_forward, maxpool_backward, ()),
              (fc_forward, fc_backward, ("fc_W", "fc_b"))]
    caches, h = [], x
    for forward, _, names in layers:
        h, cache = forward(h, *[params[n] for n in names])
        caches.append(cache)
    loss, d = softmax_cross_entropy(h, y)
    grads = {}
    for (_, backward, names), cache in reversed(list(zip(layers, caches))):
        result = backward(d, cache)
        if names:
            d, grads[names[0]], grads[names[1]] = result
        else:
            d = result
    return loss, grads
