# Gives no derivative to the constant nodes (they are not parameters, but backward must give d output / d node
# for every node of topological_order(output)). The visible check names the constant 1 of b + 1; the hidden
# tests name the constant nodes by "the constant node <value>", not by a bare number.
# expect-fail: backward_document backward_unseen_graphs
# expect-message: backward gave no derivative for the constant 1 (the node `1` of b + 1)
# expect-message: backward gave no derivative for the constant node
def backward(output, partials):
    order = topological_order(output)
    gradient = {node: 0.0 for node in order if node.op != "const"}
    gradient[output] = 1.0
    for node in reversed(order):
        for i, child in enumerate(node.inputs):
            if child.op != "const":
                gradient[child] = gradient[child] + gradient[node] * partials[node][i]
    return gradient
