# expect-message: step h you were given seems not to be used
def numerical_derivative(f, x, h=1e-5):
    step = 1e-5
    return (f(x + step) - f(x - step)) / (2 * step)
