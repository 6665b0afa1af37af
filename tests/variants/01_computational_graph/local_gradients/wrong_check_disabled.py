# A wrong rule (log_b taken as ln: no dependence on the base) with the notebook's checkers disabled through names
# built at run time: the visible checks pass silently, the hidden tests hold their own checkers.
# expect-fail: local_gradients_exp_log
# expect-message: the local gradient of 'logb' with respect to input 0 (the base b) is all zeros
import math

globals()["check_" + "local_gradients"] = lambda *a, **k: None
globals()["check_" + "value"] = lambda *a, **k: None
globals()["check_" + "derived"] = lambda *a, **k: None


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
        return (0.0, 1 / (x * math.log(b)))
    if op == "relu":
        (x,) = inputs
        return (1.0 if x > 0 else 0.0,)
    raise ValueError(f"unknown operation {op!r}")
