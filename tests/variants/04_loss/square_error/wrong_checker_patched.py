# The gradient with the 2 of the square kept, and course.gradcheck's checks replaced in the module itself, reached
# through the hidden tests' own name for it: the hidden tests notice and give no points.
# expect-fail: square_error_gradient
# expect-message: is not the course's own any more
for _name in ("check_" + "value", "check_" + "backward", "check_" + "derived", "check_" + "gradient"):
    setattr(globals()["_" + "gc"], _name, lambda *a, **k: None)


def square_error(y_pred, d):
    return 0.5 * float(np.sum((y_pred - d) ** 2)), 2 * (y_pred - d)
