# expect-message: cos(0) = 1
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / h
