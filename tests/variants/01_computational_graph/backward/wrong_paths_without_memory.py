# Right values, but each node's derivative recomputed along every path: exponential on shared sub-paths.
# expect-fail: backward_unseen_graphs
# expect-message: multiplications
def backward(output, partials):
    used_by = users(output)

    def derivative(node):
        if node is output:
            return 1.0
        total = 0.0
        for user, i in used_by[node]:
            total = total + derivative(user) * partials[user][i]
        return total

    return {node: derivative(node) for node in topological_order(output)}
