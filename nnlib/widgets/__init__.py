"""Every "Try it" that nnlib provides: ``from nnlib.widgets import neuron_widget`` (this file only
gathers the names).  A widget becomes an nnlib function when it must redraw one figure in place;
the lessons build their other "Try it"s inline with ``ipywidgets.interactive``.

* :mod:`~nnlib.widgets.base`         one figure redrawn in place (:class:`FigureImage`), its
  ``Image`` with alt text, the "applies on release" note, the two-class plane;
* :mod:`~nnlib.widgets.neuron`       lesson 01: one neuron's decision line (``neuron_widget``);
* :mod:`~nnlib.widgets.perceptron`   lesson 01: the perceptron rule step by step
  (``perceptron_stepper``);
* :mod:`~nnlib.widgets.activations`  lesson 02: activation functions and their derivatives
  (``activation_explorer``);
* :mod:`~nnlib.widgets.playground`   lesson 06: a training playground (``Playground``);
* :mod:`~nnlib.widgets.predictions`  lesson 07: a model's predictions, or only its mistakes
  (``prediction_browser``);
* :mod:`~nnlib.widgets.kernels`      lesson 09: a convolution kernel on a photo
  (``kernel_explorer``);
* :mod:`~nnlib.widgets.decoding`     lesson 12: greedy, temperature and top-k decoding of a
  language model's next-character distribution (``decoding_explorer``);
* :mod:`~nnlib.widgets.diffusion`    lesson 13: scrub through a diffusion model's reverse process
  (``reverse_process_widget``).

Each widget is a thin shell around plain functions, so what it shows can be computed and tested
without a browser; ``ipywidgets`` is imported only when a widget is built.
"""

from .activations import (
    EXPLORER_ACTIVATIONS,
    activation_curves,
    activation_explorer,
    plot_activations,
)
from .base import FigureImage, PlanePicture, check_number, image_widget, release_note
from .decoding import decoding_explorer, decoding_view
from .diffusion import reverse_process_widget
from .kernels import kernel_explorer
from .neuron import (
    accuracy_text,
    neuron_accuracy,
    neuron_geometry,
    neuron_predict,
    neuron_widget,
    plot_neuron,
)
from .perceptron import perceptron_stepper
from .playground import Playground
from .predictions import browse_index, prediction_browser

__all__ = [
    "FigureImage",
    "image_widget",
    "release_note",
    "PlanePicture",
    "check_number",
    "neuron_predict",
    "neuron_accuracy",
    "accuracy_text",
    "plot_neuron",
    "neuron_geometry",
    "neuron_widget",
    "perceptron_stepper",
    "EXPLORER_ACTIVATIONS",
    "activation_curves",
    "plot_activations",
    "activation_explorer",
    "Playground",
    "browse_index",
    "prediction_browser",
    "kernel_explorer",
    "decoding_view",
    "decoding_explorer",
    "reverse_process_widget",
]
