# An even or too small L raises TypeError, not the ValueError the API asks for.
# expect-fail: MLP_init
# expect-message: MLP must raise ValueError
# patch: raise ValueError( -> raise TypeError(
