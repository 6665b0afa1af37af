e.evaluate(a=3, b=5)
c_value, d_value, e_value = c.value, d.value, e.value
