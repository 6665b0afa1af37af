# FC~(3) fed with b^(3): eq. 23-25 do not use it.
# expect-fail: graph_batch_edges
# expect-message: the edge b(3) → FC~(3) should not be there
# patch: FC~(3)(dc/dS, X(2), W(3)) -> FC~(3)(dc/dS, X(2), W(3), b(3))
