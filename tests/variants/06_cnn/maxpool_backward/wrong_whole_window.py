# dL/dout copied to the 4 entries of its window.
# expect-fail: maxpool_backward_values maxpool_backward_figures_4_5
# expect-message: copies dL/dout to the whole 2 x 2 window
def maxpool_backward(dout, cache):
    return np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3)
