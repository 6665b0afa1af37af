# Only a too small L is refused: an even L builds the FC layers 1, 3, ..., L - 1 and ends on a ReLU (layer L), so the
# scores cannot be negative: not the MLP of 003, whose last layer is an FC.
# expect-fail: MLP_init
# expect-message: MLP(3, 4, 2, L=4, rng) raised no error: MLP must raise ValueError
# patch: if L < 3 or L % 2 == 0: -> if L < 3:
