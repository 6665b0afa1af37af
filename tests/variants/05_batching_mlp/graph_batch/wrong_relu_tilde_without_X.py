# ReLU~ without X^(1) (nor X^(2)).
# expect-fail: graph_batch_edges
# expect-message: the edge X(1) → ReLU~(2) is missing
# patch: ReLU~(2)(dc/dX(2), X(1)) -> ReLU~(2)(dc/dX(2))
