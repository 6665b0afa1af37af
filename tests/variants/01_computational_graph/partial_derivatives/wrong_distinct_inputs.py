# One derivative per distinct input: x * x loses an edge.
# expect-fail: partial_derivatives_graph
# expect-message: one per input edge
def partial_derivatives(output):
    partials = {}
    for node in topological_order(output):
        if node.inputs:
            distinct = list(dict.fromkeys(node.inputs))
            partials[node] = tuple(local_gradients(node.op, *(i.value for i in node.inputs)))[:len(distinct)]
    return partials
