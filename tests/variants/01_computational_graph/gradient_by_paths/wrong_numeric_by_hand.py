# Derives nothing: each free variable's derivative by the student's own numerical_derivative (step 0), the graph
# evaluated again at every step. Passes the visible check of the document's graph.
# expect-fail: gradient_by_paths_document gradient_by_paths_unseen_graphs
# expect-message: called numerical_derivative
def gradient_by_paths(output, partials):
    variables = free_variables(output)
    here = {v.name: v.value for v in variables}
    gradient = {}
    for v in variables:
        gradient[v] = numerical_derivative(lambda t: output.evaluate({**here, v.name: t}), v.value)
    output.evaluate(here)
    return gradient
