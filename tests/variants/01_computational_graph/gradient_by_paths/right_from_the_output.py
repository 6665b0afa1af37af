# Paths enumerated from the output down to the variables.
def gradient_by_paths(output, partials):
    gradient = {v: 0.0 for v in free_variables(output)}
    stack = [(output, 1.0)]
    while stack:
        node, weight = stack.pop()
        if node in gradient:
            gradient[node] = gradient[node] + weight
        for i, child in enumerate(node.inputs):
            stack.append((child, weight * partials[node][i]))
    return gradient
