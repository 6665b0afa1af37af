# Weights drawn with the standard deviation 1 / sqrt(fan_in) instead of He's sqrt(2 / fan_in).
# expect-fail: MLP_init
# expect-message: sqrt(2 / fan_in)
# patch: np.sqrt(2.0 / widths[j]) -> np.sqrt(1.0 / widths[j])
