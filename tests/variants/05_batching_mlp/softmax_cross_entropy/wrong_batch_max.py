# Subtracts the maximum of the whole batch instead of the maximum of each row: right while all rows sit at the same
# level, but a row far below the others gets exp(...) = 0 everywhere (0 / 0 = nan).
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: subtract the maximum of each row
# expect-message: not one maximum for the whole batch
# patch: shifted = S - np.max(S, axis=1, keepdims=True) -> shifted = S - np.max(S)
