# -ln of p_y clipped at 1e-15: finite, but 34.5 where a confidently wrong network costs 800.
# expect-fail: softmax_cross_entropy_loss
# expect-message: where c = -s_0 + ln sum_j exp(s_j) = 800
def softmax_cross_entropy(s, y):
    p = softmax(s)
    ds = p.copy()
    ds[0, y] -= 1.0
    return float(-np.log(np.clip(p[0, y], 1e-15, 1.0))), ds
