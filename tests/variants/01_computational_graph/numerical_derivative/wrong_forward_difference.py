# The forward difference: right to about 1e-5 at h = 1e-5, so the visible check passes; the step check catches it.
# expect-fail: numerical_derivative_values
# expect-message: forward difference
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h
