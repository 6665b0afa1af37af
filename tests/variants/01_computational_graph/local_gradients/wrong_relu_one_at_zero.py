# The other convention at exactly 0: the notebook states "at exactly 0, return 0", and its visible check tests it.
# expect-fail: local_gradients_unary
# expect-message: course's convention (step 2) is a local gradient of 0
# patch: (1.0 if x > 0 else 0.0,) -> (1.0 if x >= 0 else 0.0,)
