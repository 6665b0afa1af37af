# db averaged over the batch instead of summed: the 1/N of the mean loss applied again inside the layer.
# expect-fail: conv_backward_db
# expect-message: the 1/N of the mean belongs to the loss alone; db sums over the samples and positions
# patch: db = dout.sum(axis=(0, 2, 3)) -> db = dout.sum(axis=(0, 2, 3)) / N
