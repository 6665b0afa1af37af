def numerical_derivative(f, x, h=1e-5):
    left, right = x - h, x + h
    return 0.5 * (f(right) - f(left)) / h
