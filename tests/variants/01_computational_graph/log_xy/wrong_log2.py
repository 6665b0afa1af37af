# log base 2 where the document means the natural logarithm.
# expect-fail: log_xy_steps
# expect-message: = 0.5 / ln 2, a logarithm in base 2 where the document has ln
x, y = Variable("x"), Variable("y")
v = (x * y).named("v")
w = logb(2, v).named("w")
z = w
z.evaluate(x=2.0, y=3.0)
dz_dx = backward(z, partial_derivatives(z))[x]
