# 48 + 1: one pixel lost by the convolution instead of 2, a side the max-pool cannot halve.
# expect-fail: network_sizes_values
# expect-message: the side is 47, an odd number, which the 2 x 2 max-pool cannot halve
side_document = 49
flat_digits = 72
n_params_digits = 810
