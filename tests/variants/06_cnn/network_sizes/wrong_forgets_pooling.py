# 24 + 2: the document's input side worked back through the convolution only, the max-pool forgotten.
# expect-fail: network_sizes_values
# expect-message: and the 2 x 2 max-pool then 12, not the 24 of Figure 2
side_document = 26
flat_digits = 72
n_params_digits = 810
