# d(a/b)/db taken as -1/b²: the numerator a forgotten. Caught by the visible check.
# expect-fail: local_gradients_arithmetic
# expect-message: with respect to input 1 (b, the denominator); measured by central differences
# expect-message: Hint: the quotient rule (000 eq. 21), with a held fixed
# patch: (1 / b, -a / b ** 2) -> (1 / b, -1 / b ** 2)
