# ∇_{W_k}E = δ_k h_kᵀ: the output of layer k where 004 has its input h_(k-1).
# expect-fail: backprop_004_rows backprop_004_activations
# expect-message: the shape of W_k, N_k x N_(k-1)
# patch: grad_W[k] = delta @ h[k - 1].T -> grad_W[k] = delta @ h[k].T
