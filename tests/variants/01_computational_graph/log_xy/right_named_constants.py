x = Variable("x", 2.0)
y = Variable("y", 3.0)
v = x * y
w = log(v)
z = w
z.evaluate()
grads = backward(z, partial_derivatives(z))
dz_dx = grads[x]
