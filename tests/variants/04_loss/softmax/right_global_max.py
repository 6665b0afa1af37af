# One sample: the max and the sum over the whole array are those of the row.
def softmax(s):
    e = np.exp(s - s.max())
    return e / e.sum()
