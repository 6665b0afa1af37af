# The ReLU's derivative taken as its value.
# expect-fail: local_gradients_unary
# patch: (1.0 if x > 0 else 0.0,) -> (max(0.0, x),)
