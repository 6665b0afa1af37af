# Derives nothing: central differences by hand, each node's value moved by ±h and the graph recomputed after it
# (course.graph.value_with). Passes the visible check of the document's graph.
# expect-fail: backward_document backward_unseen_graphs
# expect-message: it measures its derivatives numerically
from course.graph import value_with


def backward(output, partials):
    h = 1e-6
    gradient = {}
    for node in topological_order(output):
        up = value_with(output, {node: node.value + h})
        down = value_with(output, {node: node.value - h})
        gradient[node] = (up - down) / (2 * h)
    return gradient
