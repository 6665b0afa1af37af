# The derivative with respect to the other variable (1/y = 1/3).
# expect-fail: log_xy_steps
x, y = Variable("x"), Variable("y")
v = (x * y).named("v")
w = log(v).named("w")
z = w
z.evaluate(x=2.0, y=3.0)
dz_dx = backward(z, partial_derivatives(z))[y]
