# The backward loop runs for k = L down to 2: layer 1 gets no gradient (range's end is excluded).
# expect-fail: backprop_004_rows backprop_004_activations
# expect-message: layer 1 included
# expect-message: grad_W must be a dict with the keys [1, 2]; got the keys [2]: 
# patch: for k in range(L, 0, -1): -> for k in range(L, 1, -1):
