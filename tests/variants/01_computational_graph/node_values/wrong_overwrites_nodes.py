# The values written in c, d and e, then copied: the numbers are right, but c, d, e no longer hold the graph's nodes,
# and every later cell that uses them fails.
# expect-fail: node_values_document
# expect-message: must keep the nodes of the graph
c = 8.0
d = 6.0
e = 48.0
c_value, d_value, e_value = c, d, e
