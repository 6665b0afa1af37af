# The log rule 1/x applied to the base instead of x. Caught by the visible check.
# expect-fail: local_gradients_exp_log
# expect-message: with respect to input 1 (x); measured by central differences
# patch: 1 / (x * math.log(b))) -> 1 / (b * math.log(b)))
