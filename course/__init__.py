"""Library imported by the notebooks of "Backpropagation, step by step".

It never holds a solution: what the student writes in a notebook is not defined here.

- ``course.gradcheck``: numeric gradients and the checks that judge every derivative of the course.
"""
