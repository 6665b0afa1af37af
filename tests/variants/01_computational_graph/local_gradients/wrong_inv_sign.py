# expect-fail: local_gradients_unary
# expect-message: times -1
# patch: (-1 / x ** 2,) -> (1 / x ** 2,)
