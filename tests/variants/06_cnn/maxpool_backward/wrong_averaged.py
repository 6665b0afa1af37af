# dL/dout shared by the 4 entries of the window: the gradient of an average pooling.
# expect-fail: maxpool_backward_values maxpool_backward_figures_4_5
# expect-message: gradient of an average pooling
def maxpool_backward(dout, cache):
    return np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3) / 4
