# The log rule 1/x applied to the base instead of x.
# expect-fail: local_gradients_exp_log
# patch: 1 / (x * math.log(b))) -> 1 / (b * math.log(b)))
