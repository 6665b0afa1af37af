# conv_backward fed with fc_backward's dx (the gradient of the pooled maps) instead of maxpool_backward's: the shapes
# do not fit, and the message says which gradient each backward pass takes.
# expect-fail: cnn_loss_value cnn_loss_gradients
# expect-message: conv_backward the dx of maxpool_backward
# patch: conv_backward(da, conv_cache) -> conv_backward(dp, conv_cache)
