# The softmax's sum over each row without keepdims=True: a (N,) vector, which numpy lines up with the C columns of
# the (N, C) scores (a ValueError when N != C).
# expect-fail: softmax_cross_entropy_loss softmax_cross_entropy_gradient
# expect-message: without keepdims=True, and numpy lines it up with the C = 4 columns of S
# patch: P /= np.sum(P, axis=1, keepdims=True) -> P /= np.sum(P, axis=1)
