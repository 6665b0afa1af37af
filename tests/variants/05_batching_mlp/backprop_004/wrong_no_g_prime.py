# δ_k = ∇_{h_k}E: the ⊙ g'_k(a_k) of 004's « componentwise gain of error » forgotten.
# expect-fail: backprop_004_rows backprop_004_activations
# expect-message: without the ⊙ g'_k(a_k)
# patch: delta = grad_h * g_prime[k](a[k]) -> delta = grad_h
