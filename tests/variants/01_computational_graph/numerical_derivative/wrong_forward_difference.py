# The forward difference: right to 1e-8 for sin at 0, but off by about 1.4e-5 for exp at 1, where the
# visible check names it; the hidden check of the step (t^3 at 2 with h = 1e-2) names it too.
# expect-fail: numerical_derivative_values
# expect-message: forward difference
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h
