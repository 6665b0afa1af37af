# Pulls from the users instead of pushing to the inputs.
def backward(output, partials):
    used_by = users(output)
    gradient = {}
    for node in reversed(topological_order(output)):
        if node is output:
            gradient[node] = 1.0
        else:
            gradient[node] = sum(gradient[user] * partials[user][i] for user, i in used_by[node])
    return gradient
