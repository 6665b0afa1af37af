# Each row's maximum subtracted without keepdims=True: a (N,) vector, which numpy lines up with the C columns of the
# (N, C) scores (a ValueError when N != C).
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: keepdims=True keeps it (N, 1)
# patch: shifted = S - np.max(S, axis=1, keepdims=True) -> shifted = S - np.max(S, axis=1)
