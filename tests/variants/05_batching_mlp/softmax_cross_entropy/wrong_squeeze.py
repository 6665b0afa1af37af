# Squeezes S "to drop a useless axis": harmless for N > 1, but a batch of one sample loses its batch axis, and the
# softmax of each row (axis 1) no longer exists.
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: With N = 1, S is still a matrix of one row
# patch: N = S.shape[0] -> S = np.squeeze(S); N = len(y)
