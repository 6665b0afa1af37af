# ∇_{h_(k-1)}E = W_k δ_k: the transpose of 004's W_kᵀ δ_k forgotten (with N_k ≠ N_(k-1) the product cannot be taken).
# expect-fail: backprop_004_rows backprop_004_activations
# expect-message: ∇_{h_(k-1)}E = W_kᵀ δ_k is a column of N_(k-1) entries
# patch: grad_h = W[k].T @ delta -> grad_h = W[k] @ delta
