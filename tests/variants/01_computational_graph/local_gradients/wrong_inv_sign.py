# expect-fail: local_gradients_unary
# expect-message: measured by central differences
# expect-message: times -1 at every point
# patch: (-1 / x ** 2,) -> (1 / x ** 2,)
