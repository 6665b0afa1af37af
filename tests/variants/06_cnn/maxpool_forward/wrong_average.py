# Average pooling.
# expect-fail: maxpool_forward_values
# expect-message: average pooling
def maxpool_forward(x):
    N, C, H, W = x.shape
    return x.reshape(N, C, H // 2, 2, W // 2, 2).mean(axis=(3, 5)), x
