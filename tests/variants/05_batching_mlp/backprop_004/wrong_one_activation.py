# g_1 and g'_1 for every layer: 004's g_k is the activation of layer k (here the last layer has none, the identity).
# expect-fail: backprop_004_rows backprop_004_activations
# expect-message: each layer with its own g[k]
# patch: h[k] = g[k](a[k]) -> h[k] = g[1](a[k])
# patch: delta = grad_h * g_prime[k](a[k]) -> delta = grad_h * g_prime[1](a[k])
