# The other convention at exactly 0 (never tested here).
# patch: (1.0 if x > 0 else 0.0,) -> (1.0 if x >= 0 else 0.0,)
