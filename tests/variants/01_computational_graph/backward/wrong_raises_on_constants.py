# Looks up partials for every node, constants included: a KeyError on any graph with a constant (the document's
# d = b + 1 too). The hidden tests say which function raised what, not a bare KeyError.
# expect-fail: backward_document backward_unseen_graphs
# expect-message: backward(output:
# expect-message: raised KeyError
def backward(output, partials):
    order = topological_order(output)
    gradient = {node: 0.0 for node in order}
    gradient[output] = 1.0
    for node in reversed(order):
        local = partials[node] if node.inputs or node.op == "const" else ()
        for i, child in enumerate(node.inputs):
            gradient[child] = gradient[child] + gradient[node] * local[i]
    return gradient
