# e = c x d read as c + d.
c_value = 8.0
d_value = 6.0
e_value = 14.0
