# Derives nothing: d output / d node is course.gradcheck's numeric gradient of the output with respect to the
# node's value (course.graph.value_with recomputes the graph). Passes the visible check of the document's graph.
# expect-fail: backward_document backward_unseen_graphs
# expect-message: called course.gradcheck's numeric_gradient
import numpy as np
from course.gradcheck import numeric_gradient
from course.graph import value_with


def backward(output, partials):
    gradient = {}
    for node in topological_order(output):
        point = np.array([node.value])
        gradient[node] = float(numeric_gradient(lambda v: value_with(output, {node: v[0]}), point)[0])
    return gradient
