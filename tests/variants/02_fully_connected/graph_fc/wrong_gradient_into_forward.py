# The backward output dc/dx fed back into FC: a gradient flowing into the forward pass.
# expect-fail: graph_fc_edges
# expect-message: the edge dc/dx → FC should not be there: a backward output flows into the forward function
# patch: "z = FC(x, W, b)" -> "z = FC(dc/dx, W, b)"
