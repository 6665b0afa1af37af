# db = dz whatever the shape of b: right for b of shape (1, H), wrong for b given as (H,) (§3.1: "b may also be
# given with shape (H,)"; every gradient has the shape of what it is the gradient of).
# expect-fail: fc_backward_db
# expect-message: db (b of shape (3,)) has shape (1, 3), expected (3,)
# expect-message: as it was given
def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W.T, x.T @ dz, dz
