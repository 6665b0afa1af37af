# d(b^x)/dx without ln b. Caught by the visible check.
# expect-fail: local_gradients_exp_log
# expect-message: with respect to input 1 (the exponent x); measured by central differences
# expect-message: b^x = e^(x ln b)
# patch: b ** x * math.log(b)) -> b ** x)
