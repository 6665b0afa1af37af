# FC~ fed with b, which none of the three derivatives of z = x W + b depends on.
# expect-fail: graph_fc_edges
# expect-message: the edge b → FC~ should not be there
# patch: FC~(dc/dz, x, W) -> FC~(dc/dz, x, W, b)
