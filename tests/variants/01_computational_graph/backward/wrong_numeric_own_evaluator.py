# Derives nothing, and uses no course function to do it: the graph recomputed by its own evaluator (the formulas of
# the operations written out) with each node's value moved by ±h. Only the exact comparison (1e-11) can see it.
# expect-fail: backward_document backward_unseen_graphs
# expect-message: the precision of a numeric (finite-difference) gradient
import math

VALUES = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "neg": lambda x: -x, "inv": lambda x: 1 / x, "exp": math.exp, "log": math.log, "pow": lambda b, x: b ** x,
    "logb": lambda b, x: math.log(x) / math.log(b), "relu": lambda x: max(0.0, x),
}


def backward(output, partials):
    order = topological_order(output)

    def value_if(moved, value):
        values = {}
        for node in order:
            if node is moved:
                values[node] = value
            elif not node.inputs:
                values[node] = node.value
            else:
                values[node] = VALUES[node.op](*(values[i] for i in node.inputs))
        return values[output]

    h = 1e-5
    return {node: (value_if(node, node.value + h) - value_if(node, node.value - h)) / (2 * h) for node in order}
