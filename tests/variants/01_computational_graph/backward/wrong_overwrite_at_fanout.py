# Overwrites instead of adding where a node feeds several others.
# expect-fail: backward_document
# expect-message: sum of what each sends back
def backward(output, partials):
    order = topological_order(output)
    gradient = {node: 0.0 for node in order}
    gradient[output] = 1.0
    for node in reversed(order):
        for i, child in enumerate(node.inputs):
            gradient[child] = gradient[node] * partials[node][i]
    return gradient
