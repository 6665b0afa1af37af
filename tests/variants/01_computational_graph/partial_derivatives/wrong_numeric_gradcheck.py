# Derives nothing: the partial derivatives measured with course.graph.numeric_local instead of local_gradients.
# The visible check sees it: its partial derivatives are not what local_gradients gives.
# expect-fail: partial_derivatives_graph
# expect-message: partials[node][i] is the local gradient of node
from course.graph import numeric_local


def partial_derivatives(output):
    return {node: numeric_local(node.op, *(i.value for i in node.inputs))
            for node in topological_order(output) if node.inputs}
