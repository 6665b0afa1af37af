# The exponentials of the document's eq. 7 and 9, unshifted: overflow near 1000.
# expect-fail: softmax_jacobian_large_logits
# expect-message: nan or inf
def softmax_jacobian(s):
    e = np.exp(s).reshape(-1)
    total = np.sum(e)
    return np.diag(e) / total - np.outer(e, e) / total ** 2
