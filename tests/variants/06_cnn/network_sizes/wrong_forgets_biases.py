# The parameters counted without the biases.
# expect-fail: network_sizes_values
# expect-message: the biases are parameters too
side_document = 50
flat_digits = 72
n_params_digits = 8 * 9 + 72 * 10
