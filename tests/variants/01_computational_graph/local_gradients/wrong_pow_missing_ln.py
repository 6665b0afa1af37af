# d(b^x)/dx without ln b.
# expect-fail: local_gradients_exp_log
# expect-message: ln b
# patch: b ** x * math.log(b)) -> b ** x)
