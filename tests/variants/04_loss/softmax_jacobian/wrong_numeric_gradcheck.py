# J as course.gradcheck's numeric Jacobian of the student's softmax, row by row.
# expect-fail: softmax_jacobian_two_cases
# expect-message: softmax_jacobian called course.gradcheck's numeric_gradient_array
from course.gradcheck import numeric_gradient_array


def softmax_jacobian(s):
    s = np.array(s, dtype=np.float64)
    C = s.shape[1]
    return np.concatenate([numeric_gradient_array(softmax, s, np.eye(C)[[i]]) for i in range(C)])
