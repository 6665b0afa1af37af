# The log rule 1/x applied to the base instead of x.
# expect-fail: local_gradients_exp_log
import math


def local_gradients(op, *inputs):
    if op == "add":
        return (1.0, 1.0)
    if op == "sub":
        return (1.0, -1.0)
    if op == "mul":
        a, b = inputs
        return (b, a)
    if op == "div":
        a, b = inputs
        return (1 / b, -a / b ** 2)
    if op == "neg":
        return (-1.0,)
    if op == "inv":
        (x,) = inputs
        return (-1 / x ** 2,)
    if op == "exp":
        (x,) = inputs
        return (math.exp(x),)
    if op == "log":
        (x,) = inputs
        return (1 / x,)
    if op == "pow":
        b, x = inputs
        return (x * b ** (x - 1), b ** x * math.log(b))
    if op == "logb":
        b, x = inputs
        return (-math.log(x) / (b * math.log(b) ** 2), 1 / (b * math.log(b)))
    if op == "relu":
        (x,) = inputs
        return (1.0 if x > 0 else 0.0,)
    raise ValueError(op)
