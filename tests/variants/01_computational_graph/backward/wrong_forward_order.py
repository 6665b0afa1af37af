# Visits the nodes in topological order (inputs first): a node sends its gradient before receiving it.
# expect-fail: backward_document
def backward(output, partials):
    order = topological_order(output)
    gradient = {node: 0.0 for node in order}
    gradient[output] = 1.0
    for node in order:
        for i, child in enumerate(node.inputs):
            gradient[child] = gradient[child] + gradient[node] * partials[node][i]
    return gradient
