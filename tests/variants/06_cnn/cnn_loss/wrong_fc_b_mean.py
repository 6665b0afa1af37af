# The softmax layer's bias gradient divided by N once more: the hint names fc_backward's db, not dW.
# expect-fail: cnn_loss_gradients
# expect-message: grads['fc_b']
# expect-message: dL/db of the softmax layer is fc_backward's db
# patch: "fc_b": db_fc} -> "fc_b": db_fc / len(x)}
