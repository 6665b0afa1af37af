import math


def softmax_cross_entropy(s, y):
    row = [float(v) for v in s[0]]
    top = max(row)
    total = sum(math.exp(v - top) for v in row)
    p = [math.exp(v - top) / total for v in row]
    ds = np.array([[p[k] - 1.0 if k == y else p[k] for k in range(len(row))]])
    return top + math.log(total) - row[y], ds      # -ln p_y, finite even when p_y underflows to 0
