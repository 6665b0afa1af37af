# Derives nothing: central differences written by hand on the operations' formulas (no course function at all).
# Within 1e-5 of the derivatives, so the visible checks of add ... logb pass; the hidden tests compare with the
# formulas to float64 precision.
# expect-fail: local_gradients_arithmetic local_gradients_exp_log local_gradients_unary
# expect-message: the precision of a numeric (finite-difference) gradient
import math

VALUES = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "neg": lambda x: -x, "inv": lambda x: 1 / x, "exp": math.exp, "log": math.log, "pow": lambda b, x: b ** x,
    "logb": lambda b, x: math.log(x) / math.log(b), "relu": lambda x: max(0.0, x),
}


def local_gradients(op, *inputs):
    h = 1e-5
    f = VALUES[op]
    result = []
    for i in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[i] += h
        down[i] -= h
        result.append((f(*up) - f(*down)) / (2 * h))
    return tuple(result)
