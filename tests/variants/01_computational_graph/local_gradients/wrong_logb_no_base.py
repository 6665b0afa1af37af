# log_b treated as ln: the base forgotten (and the base taken as constant). Caught by the visible check.
# expect-fail: local_gradients_exp_log
# expect-message: with respect to input 0 (the base b); measured by central differences
# expect-message: Yours is 0 where the derivative is not
# patch: (-math.log(x) / (b * math.log(b) ** 2), 1 / (x * math.log(b))) -> (0.0, 1 / x)
