# FC~(3) fed with x^(1), the input of the first layer, instead of its own input x^(2).
# expect-fail: graph_mlp_edges
# expect-message: the edge x(1) → FC~(3) should not be there
# patch: FC~(3)(dc/ds, x(2), W(3)) -> FC~(3)(dc/ds, x(1), W(3))
