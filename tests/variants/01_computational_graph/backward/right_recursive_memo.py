# Recursive, with each node's derivative stored once computed.
def backward(output, partials):
    used_by = users(output)
    memo = {output: 1.0}

    def derivative(node):
        if node not in memo:
            total = 0.0
            for user, i in used_by[node]:
                total = total + derivative(user) * partials[user][i]
            memo[node] = total
        return memo[node]

    return {node: derivative(node) for node in topological_order(output)}
