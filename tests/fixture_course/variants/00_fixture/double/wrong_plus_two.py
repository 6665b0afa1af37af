# Passes the visible check double(1.0) == 2.0, fails everywhere else.
# expect-fail: double_values
# expect-message: double(x)
def double(x):
    return x * x + 1
