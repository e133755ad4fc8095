"""What the lessons derive by hand besides the network of :mod:`nnlib.nn`, in NumPy, each piece
checked against Keras or SciPy in the tests:

* :mod:`~nnlib.byhand.perceptron`  lesson 01: the perceptron rule, one update at a time;
* :mod:`~nnlib.byhand.surfaces`    lesson 04: loss surfaces and the paths optimizers take;
* :mod:`~nnlib.byhand.vision`      lesson 09: convolution, padding, pooling, kernels;
* :mod:`~nnlib.byhand.sequences`   lesson 10: an RNN step, time-series baselines;
* :mod:`~nnlib.byhand.attention`   lesson 12: attention and the transformer block.

Import the module you need: ``from nnlib.byhand import vision``.
"""
