# Draws the weights from a generator of its own, not from the rng it is given.
# expect-fail: MLP_init
# expect-message: draw it from rng
# patch: rng.normal(0.0 -> np.random.default_rng(0).normal(0.0
