# d(b^x)/db as x b^x: the power rule without lowering the exponent. Caught by the visible check.
# expect-fail: local_gradients_exp_log
# expect-message: with respect to input 0 (the base b); measured by central differences
# expect-message: Hint: with respect to its base, x held fixed, b^x is a power of b
# patch: (x * b ** (x - 1), -> (x * b ** x,
