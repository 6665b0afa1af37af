# im2col: every k x k patch as a row of a matrix (a strided view), then one matrix product.
def conv_forward(x, w, b):
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    patches = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))     # (N, C, Ho, Wo, k, k)
    Ho, Wo = patches.shape[2:4]
    cols = patches.transpose(0, 2, 3, 1, 4, 5).reshape(N * Ho * Wo, C * k * k)
    out = cols @ w.reshape(F, C * k * k).T + b                                      # (N Ho Wo, F)
    return out.reshape(N, Ho, Wo, F).transpose(0, 3, 1, 2), (x, w, b)
