"""What the lessons derive by hand besides the network of :mod:`nnlib.nn`, in NumPy, each piece
checked against Keras or SciPy in the tests:

* :mod:`~nnlib.byhand.perceptron`  lesson 01: the perceptron rule, one update at a time;
* :mod:`~nnlib.byhand.surfaces`    lesson 04: loss surfaces and the paths optimizers take;
* :mod:`~nnlib.byhand.vision`      lesson 09: convolution, padding, pooling, kernels;
* :mod:`~nnlib.byhand.sequences`   lesson 10: an RNN step, time-series baselines;
* :mod:`~nnlib.byhand.attention`   lesson 12: attention and the transformer block;
* :mod:`~nnlib.byhand.ngram`       lesson 12: count tables with back-off (the n-gram rung);
* :mod:`~nnlib.byhand.decoding`    lesson 12: greedy, temperature and top-k decoding;
* :mod:`~nnlib.byhand.diffusion`   lesson 13: noise schedules, forward noising, the reverse step;
* :mod:`~nnlib.byhand.denoiser`    lesson 13: the Keras denoiser (train with EMA, sample, checkpoint);
* :mod:`~nnlib.byhand.judge`       lesson 13: the digit classifier that judges generated digits.

Import the module you need: ``from nnlib.byhand import vision``.
"""
