def partial_derivatives(output):
    partials = {}
    for child, node, i in edges(output):
        if node not in partials:
            partials[node] = tuple(local_gradients(node.op, *(inp.value for inp in node.inputs)))
    return partials
