# The sum over paths written recursively: weight(node) = sum over its users of (edge derivative x weight(user)).
def gradient_by_paths(output, partials):
    used_by = users(output)

    def weight(node):
        if node is output:
            return 1.0
        total = 0.0
        for user, i in used_by[node]:
            total = total + partials[user][i] * weight(user)
        return total

    return {variable: weight(variable) for variable in free_variables(output)}
