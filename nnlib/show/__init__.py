"""Pictures, in the course palette and styles, each with a text alternative:

* :mod:`~nnlib.show.plotting`     decision boundaries, training curves, image grids, confusion
  matrices; the Okabe-Ito palette and the ``default`` / ``classroom`` styles;
* :mod:`~nnlib.show.diagram`      network, pipeline, unrolled-RNN and LSTM-cell diagrams;
* :mod:`~nnlib.show.figures`      alt text for every figure, long text fitted to its panel, the
  checks of classroom style;
* :mod:`~nnlib.show.liveplot`     live training curves (``LivePlot`` is a Keras callback);
* :mod:`~nnlib.show.predictions`  a model's prediction on an image; friendly image-batch checks.

Import the module you need: ``from nnlib.show.plotting import plot_history``.
"""
