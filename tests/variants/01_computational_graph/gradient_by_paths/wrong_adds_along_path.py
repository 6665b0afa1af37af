# Adds the derivatives along a path instead of multiplying them.
# expect-fail: gradient_by_paths_document
def gradient_by_paths(output, partials):
    used_by = users(output)

    def paths(node):
        if node is output:
            return [[]]
        return [[partials[user][i]] + rest for user, i in used_by[node] for rest in paths(user)]

    return {v: sum(sum(path) for path in paths(v)) for v in free_variables(output)}
