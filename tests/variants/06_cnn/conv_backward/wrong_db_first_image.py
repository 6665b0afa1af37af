# db summed over the positions of the first image only, not over the batch.
# expect-fail: conv_backward_db
# expect-message: you summed over one image of the batch only
# patch: db = dout.sum(axis=(0, 2, 3)) -> db = dout[0].sum(axis=(1, 2))
