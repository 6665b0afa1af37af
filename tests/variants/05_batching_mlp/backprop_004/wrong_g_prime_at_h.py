# δ_k = ∇_{h_k}E ⊙ g'_k(h_k): the derivative taken at the output h_k instead of the stored a_k. With the ReLU the two
# agree (1[h > 0] = 1[a > 0]): only the smooth activations tell them apart.
# expect-fail: backprop_004_activations
# expect-message: taken at the a_k the forward pass stores, not at h_k
# patch: delta = grad_h * g_prime[k](a[k]) -> delta = grad_h * g_prime[k](h[k])
