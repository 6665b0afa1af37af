def softmax_cross_entropy_log2(s, y):
    p = softmax(s)
    d = np.zeros_like(p)
    d[0, y] = 1
    return -np.log2(p[0, y]), (p - d) * np.log2(np.e)
