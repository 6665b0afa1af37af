# The quotient rule without its minus sign. The visible check measures it ("measured by central differences" is
# only in the visible check's messages).
# expect-fail: local_gradients_arithmetic
# expect-message: measured by central differences
# expect-message: a sign error. Hint: the quotient rule (000 eq. 21)
# patch: (1 / b, -a / b ** 2) -> (1 / b, a / b ** 2)
