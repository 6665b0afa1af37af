import math

RULES = {
    "add": lambda a, b: (1.0, 1.0),
    "sub": lambda a, b: (1.0, -1.0),
    "mul": lambda a, b: (b, a),
    "div": lambda a, b: (1.0 / b, -a / (b * b)),
    "neg": lambda x: (-1.0,),
    "inv": lambda x: (-(1.0 / x) ** 2,),
    "exp": lambda x: (math.exp(x),),
    "log": lambda x: (1.0 / x,),
    "pow": lambda b, x: (x * b ** x / b, math.exp(x * math.log(b)) * math.log(b)),
    # quotient rule on ln x / ln b
    "logb": lambda b, x: ((0 * math.log(b) - math.log(x) * (1 / b)) / math.log(b) ** 2, (1 / x) / math.log(b)),
    "relu": lambda x: (float(x > 0),),
}


def local_gradients(op, *inputs):
    return list(RULES[op](*inputs))
