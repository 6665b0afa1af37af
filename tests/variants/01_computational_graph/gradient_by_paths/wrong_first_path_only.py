# Follows one path per variable: the weights of the other paths are lost.
# expect-fail: gradient_by_paths_document
def gradient_by_paths(output, partials):
    used_by = users(output)
    gradient = {}
    for variable in free_variables(output):
        node, weight = variable, 1.0
        while node is not output:
            user, i = used_by[node][0]
            weight = weight * partials[user][i]
            node = user
        gradient[variable] = weight
    return gradient
