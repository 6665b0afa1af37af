# The quotient rule without its minus sign.
# expect-fail: local_gradients_arithmetic
# expect-message: quotient rule
# patch: (1 / b, -a / b ** 2) -> (1 / b, a / b ** 2)
