# The derivative of log_b(x) with respect to its base b without the minus of the quotient rule. Caught by the
# visible check, which names the input by its number, counted from 0, and its role.
# expect-fail: local_gradients_exp_log
# expect-message: with respect to input 0 (the base b); measured by central differences
# expect-message: a sign error. Hint: log_b(x) = ln x / ln b depends on the base through ln b
# patch: (-math.log(x) / (b * math.log(b) ** 2), -> (math.log(x) / (b * math.log(b) ** 2),
