# The gradients as course.gradcheck's numeric gradient of h_L through the upstream gradient ∇_{h_L}E: nothing of
# 004's backward loop is derived.
# expect-fail: backprop_004_rows backprop_004_activations
# expect-message: backprop_004 called course.gradcheck's numeric_gradient_array
from course.gradcheck import numeric_gradient_array


def backprop_004(W, b, x, grad_hL, g, g_prime):
    W = {k: np.array(m, dtype=np.float64) for k, m in W.items()}
    b = {k: np.array(v, dtype=np.float64) for k, v in b.items()}
    L = len(W)

    def forward():
        a, h = {}, {0: x}
        for k in range(1, L + 1):
            a[k] = W[k] @ h[k - 1] + b[k]
            h[k] = g[k](a[k])
        return a, h

    a, h = forward()
    grad_W = {k: numeric_gradient_array(lambda _: forward()[1][L], W[k], grad_hL) for k in W}
    grad_b = {k: numeric_gradient_array(lambda _: forward()[1][L], b[k], grad_hL) for k in b}
    return a, h, grad_W, grad_b
