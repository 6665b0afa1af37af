# The backward difference, as plausible as the forward one: off by about -1.4e-5 for exp at 1.
# expect-fail: numerical_derivative_values
# expect-message: backward difference
def numerical_derivative(f, x, h=1e-5):
    return (f(x) - f(x - h)) / h
