# dx reshaped back in Fortran order (order="F"), not in numpy's order of the flatten: the right shape, entries misplaced.
# expect-fail: fc_backward_gradients
# expect-message: in the same order as the flatten (numpy's)
# patch: dx = (dt @ W.T).reshape(x.shape) -> dx = (dt @ W.T).reshape(x.shape, order="F")
