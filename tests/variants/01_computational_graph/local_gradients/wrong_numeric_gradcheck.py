# Derives nothing: every local gradient is course.gradcheck's numeric gradient of the operation (course.graph
# computes its value). Passes the visible checks of add ... logb; the hidden tests say it measures instead of
# deriving.
# expect-fail: local_gradients_arithmetic local_gradients_exp_log local_gradients_unary
# expect-message: called course.gradcheck's numeric_gradient
import numpy as np
from course.gradcheck import numeric_gradient
from course.graph import compute


def local_gradients(op, *inputs):
    point = np.array(inputs, dtype=float)
    return tuple(numeric_gradient(lambda v: compute(op, *v), point))
