# log base 10 where the document means the natural logarithm: dz/dx = 0.5 / ln 10 = 0.217. The visible check says so.
# expect-fail: log_xy_steps
# expect-message: 0.217147 = 0.5 / ln 10, a logarithm in base 10 where the document has ln
x, y = Variable("x"), Variable("y")
v = (x * y).named("v")
w = logb(10, v).named("w")
z = w
z.evaluate(x=2.0, y=3.0)
dz_dx = backward(z, partial_derivatives(z))[x]
