# Plain Python over the entries.
import math


def softmax(s):
    flat = [float(v) for v in np.ravel(s)]
    top = max(flat)
    e = [math.exp(v - top) for v in flat]
    total = sum(e)
    return np.array([v / total for v in e]).reshape(np.shape(s))
