"""Live training curves: a callback that redraws loss and accuracy while a model trains.

* :class:`LiveCurves` - collects the ``logs`` after every epoch and redraws every ``every``
  epochs (and once at the end).  Plain Python: :meth:`nnlib.nn.Sequential.fit` calls the same
  method names Keras does.
* :class:`LivePlot` - the same as a real ``keras.callbacks.Callback`` for ``keras.Model.fit``;
  it also serves nnlib's NumPy network.

This module imports Keras (``LivePlot`` subclasses its ``Callback``); ``import nnlib`` does not
import this module.
"""

from __future__ import annotations

import numpy as np

from ..config import import_keras
from .plotting import OKABE_ITO

keras = import_keras()  # without TensorFlow's start-up log lines

__all__ = ["LiveCurves", "LivePlot"]


class LiveCurves:
    """A callback that redraws the loss and accuracy curves every ``every`` epochs.

    Works with :meth:`nnlib.nn.Sequential.fit` as it is (``callbacks=[LiveCurves()]``).
    For Keras use :class:`LivePlot`, the same thing as a ``keras.callbacks.Callback``.

    Parameters
    ----------
    every : int
        Redraw after every ``every``-th epoch (and once at the end).  Drawing costs about
        0.1 s, so for fast epochs draw every 5 or 10.
    metrics : sequence of str
        Which logged values to plot, one panel each; ``val_<name>`` is added when present.
    output : ipywidgets.Output or None
        Draw into this widget; by default the figure is shown once and updated in place.
    show : bool
        ``False`` draws without displaying (for tests and benchmarks).

    After training, ``history`` holds every logged value and ``n_draws`` counts redraws.
    """

    def __init__(
        self, every=1, metrics=("loss", "accuracy"), title="Training (live)", output=None, show=True
    ):
        if not isinstance(every, (int, np.integer)) or isinstance(every, bool):
            raise TypeError(
                f"every must be an int (redraw every N epochs), got {type(every).__name__}"
            )
        if every < 1:
            raise ValueError(f"every must be >= 1 (redraw every N epochs), got {every}")
        if isinstance(metrics, str):
            metrics = (metrics,)
        metrics = tuple(metrics)
        if not metrics or not all(isinstance(m, str) for m in metrics):
            raise TypeError(f"metrics must be names such as ('loss', 'accuracy'), got {metrics!r}")
        if any(m.startswith("val_") for m in metrics):
            raise ValueError(
                f"list metrics without the 'val_' prefix (validation curves are added "
                f"automatically), got {metrics!r}"
            )
        self.every = int(every)
        self.metrics = metrics
        self.title = title
        self.output = output
        self.show = show
        self.history = {}
        self.n_draws = 0
        self.fig = None
        self._handle = None
        self._drawn_epoch = -1
        self._epoch = -1

    # the callback protocol (nnlib and Keras use the same names)
    def on_train_begin(self, logs=None):
        import matplotlib.pyplot as plt

        self.history = {}
        self.n_draws = 0
        self._drawn_epoch = self._epoch = -1
        self._handle = None
        self.fig, axes = plt.subplots(1, len(self.metrics), figsize=(5.2 * len(self.metrics), 3.6))
        self.axes = np.atleast_1d(axes)
        plt.close(self.fig)  # we display it ourselves; keeps it from showing twice

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        if self.fig is None:
            self.on_train_begin()
        if not self.history:
            missing = [m for m in self.metrics if m not in logs]
            if len(missing) == len(self.metrics):
                raise ValueError(
                    f"LiveCurves expected the logs to contain {list(self.metrics)}, got keys "
                    f"{sorted(logs)} (compile with metrics=['accuracy'] to log accuracy)"
                )
        for k, v in logs.items():
            self.history.setdefault(k, []).append(float(v))
        self._epoch = int(epoch)
        if (epoch + 1) % self.every == 0:
            self.redraw()

    def on_train_end(self, logs=None):
        if self.history and self._drawn_epoch != self._epoch:
            self.redraw()

    # drawing
    def redraw(self):
        """Draw the curves so far and show (or update) the figure."""
        from matplotlib.ticker import MaxNLocator

        for ax, key in zip(self.axes, self.metrics):
            ax.clear()
            if key not in self.history:
                ax.set_title(f"{key}: not logged")
                ax.set_axis_off()
                continue
            epochs = np.arange(1, len(self.history[key]) + 1)
            ax.plot(epochs, self.history[key], color=OKABE_ITO[0], marker=".", label="training")
            if f"val_{key}" in self.history:
                val = self.history[f"val_{key}"]
                ax.plot(
                    epochs[: len(val)],
                    val,
                    color=OKABE_ITO[1],
                    linestyle="--",
                    marker=".",
                    label="validation",
                )
            ax.set(title=f"{self.title}: {key}", xlabel="epoch", ylabel=key)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs only
            if len(epochs) == 1:  # one point: ticks 0.945, 0.960, ... would crowd the axis
                ax.set_xlim(0.5, 1.5)
                ax.set_xticks([1])
            ax.legend(loc="best")
        if self.fig.get_layout_engine() is None:  # the style may already lay it out (no warning)
            self.fig.tight_layout()
        self.n_draws += 1
        self._drawn_epoch = self._epoch
        if self.output is not None:
            from IPython.display import display

            with self.output:
                self.output.clear_output(wait=True)
                display(self.fig)
        elif self.show:
            from IPython.display import display

            if self._handle is None:
                self._handle = display(self.fig, display_id=True)
            else:
                self._handle.update(self.fig)
        else:
            self.fig.canvas.draw()

    # nnlib's fit calls set_model when present
    def set_model(self, model):
        self._model = model


class LivePlot(LiveCurves, keras.callbacks.Callback):
    """:class:`LiveCurves` as a ``keras.callbacks.Callback``: pass it to ``model.fit(...,
    callbacks=[LivePlot(every=5)])``.  Also works with :meth:`nnlib.nn.Sequential.fit`."""

    def __init__(
        self, every=1, metrics=("loss", "accuracy"), title="Training (live)", output=None, show=True
    ):
        keras.callbacks.Callback.__init__(self)
        LiveCurves.__init__(self, every, metrics, title, output, show)

    def set_model(self, model):
        keras.callbacks.Callback.set_model(self, model)
