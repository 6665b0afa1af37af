# FC~ fed with its own output z instead of its input x.
# expect-fail: graph_fc_edges
# expect-message: the edge z → FC~ should not be there
# patch: FC~(dc/dz, x, W) -> FC~(dc/dz, z, W)
