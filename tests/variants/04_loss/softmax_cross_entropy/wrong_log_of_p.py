# -ln of the softmax's p_y: right and finite near 1000, but inf when the network is confidently wrong (p_y underflows to 0).
# expect-fail: softmax_cross_entropy_loss
# expect-message: confidently wrong network
def softmax_cross_entropy(s, y):
    p = softmax(s)
    ds = p.copy()
    ds[0, y] -= 1.0
    return float(-np.log(p[0, y])), ds
