# A wrong derivative, and the checks of course.gradcheck replaced in the module the hidden tests use (reached through
# globals()): the hidden tests notice and give no points.
# expect-fail: cross_entropy_backward_gradient
# expect-message: is not the course's own any more: a cell of this notebook replaced it
import course.gradcheck

for _name in ("check_" + "value", "check_" + "backward", "check_" + "derived", "check_" + "gradient"):
    setattr(globals()["course"].gradcheck, _name, lambda *a, **k: None)


def cross_entropy_backward(p, y):
    dp = np.zeros_like(p)
    dp[0, y] = -1.0 / p[0, y] ** 2
    return dp
