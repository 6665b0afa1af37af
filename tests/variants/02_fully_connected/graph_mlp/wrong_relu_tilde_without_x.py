# ReLU~ without x^(1): it cannot know where the input was positive.
# expect-fail: graph_mlp_edges
# expect-message: the edge x(1) → ReLU~(2) is missing
# patch: ReLU~(2)(dc/dx(2), x(1)) -> ReLU~(2)(dc/dx(2))
