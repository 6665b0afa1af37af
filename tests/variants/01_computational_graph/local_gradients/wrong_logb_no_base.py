# log_b treated as ln: the base forgotten (and the base taken as constant).
# expect-fail: local_gradients_exp_log
# patch: (-math.log(x) / (b * math.log(b) ** 2), 1 / (x * math.log(b))) -> (0.0, 1 / x)
