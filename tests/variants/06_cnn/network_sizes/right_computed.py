k, filters, classes = 3, 8, 10
side_document = 2 * 24 + (k - 1)
side_digits = (8 - k + 1) // 2
flat_digits = side_digits * side_digits * filters
n_params_digits = filters * (k * k + 1) + flat_digits * classes + classes
