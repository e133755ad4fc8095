"""A small "TensorFlow Playground" inside the notebook (lesson 6).

Pick a data set, the hidden layers, the activation and the learning rate; press **Train** and
watch the decision boundary and the loss change live.  Everything the widget does is a plain
method, so it also runs without a screen (tests, scripts)::

    pg = Playground(dataset="spirals", hidden=(16, 16), activation="relu", learning_rate=0.01)
    pg.train(50)                 # 50 epochs of nnlib.nn.Sequential.fit
    pg.accuracy, pg.history["loss"][-1]
    pg.show()                    # the interactive version (ipywidgets)

The network is nnlib's own :class:`nnlib.nn.Sequential`: Dense layers, softmax output,
sparse categorical cross-entropy, Adam or SGD.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from . import data, nn
from .plotting import OKABE_ITO, plot_decision_boundary

DATASETS = ("moons", "circles", "xor", "spirals", "blobs")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
OPTIMIZERS = ("adam", "sgd")


def _check_choice(value, valid, what):
    if value not in valid:
        raise ValueError(f"unknown {what} {value!r}; valid choices are {list(valid)}")
    return value


class Playground:
    """Train a small network on a 2-D toy data set, step by step, and draw it.

    Parameters
    ----------
    dataset : one of ``DATASETS``
    hidden : tuple of ints, the neurons of each hidden layer (``()`` = no hidden layer)
    activation : one of ``ACTIVATIONS``, used by every hidden layer
    learning_rate : float > 0
    optimizer : ``"adam"`` or ``"sgd"``
    n_samples, batch_size, seed : data size, mini-batch size, and the seed of data and weights
    redraw_every : epochs between redraws while the widget trains
    """

    def __init__(
        self,
        dataset="moons",
        hidden=(8, 8),
        activation="tanh",
        learning_rate=0.03,
        optimizer="adam",
        n_samples=200,
        batch_size=16,
        seed=0,
        redraw_every=5,
    ):
        self.dataset = _check_choice(dataset, DATASETS, "dataset")
        self.activation = _check_choice(activation, ACTIVATIONS, "activation")
        self.optimizer_name = _check_choice(optimizer, OPTIMIZERS, "optimizer")
        if isinstance(hidden, (int, np.integer)):
            raise TypeError(
                f"hidden must be a tuple of layer sizes, got the int {hidden!r}. "
                f"Fix: hidden=({hidden},) for one hidden layer, or hidden=({hidden}, {hidden})."
            )
        hidden = tuple(hidden)
        if not all(isinstance(h, (int, np.integer)) and h >= 1 for h in hidden):
            raise ValueError(f"hidden must be a tuple of positive ints, got {hidden!r}")
        if not isinstance(learning_rate, (int, float)) or learning_rate <= 0:
            raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}")
        self.hidden = hidden
        self.learning_rate = float(learning_rate)
        self.n_samples, self.batch_size, self.seed = n_samples, batch_size, seed
        self.redraw_every = redraw_every
        self._widget = None
        self.reset()

    # ------------------------------------------------------------------ headless API
    def reset(self):
        """New data and fresh weights for the current settings; epoch 0."""
        self.X, self.y = data.make_toy(self.dataset, n_samples=self.n_samples, seed=self.seed)
        self.n_classes = int(self.y.max()) + 1
        layers = []
        dim = 2
        for units in self.hidden:
            layers.append(nn.Dense(units, self.activation, input_dim=dim))
            dim = units
        layers.append(nn.Dense(self.n_classes, "softmax", input_dim=dim))
        self.model = nn.Sequential(layers, seed=self.seed)
        opt_class = nn.Adam if self.optimizer_name == "adam" else nn.SGD
        self.model.compile(
            opt_class(self.learning_rate), "sparse_categorical_crossentropy", ["accuracy"]
        )
        self.epoch = 0
        self.history = {"loss": [], "accuracy": []}
        self.message = ""
        return self

    def train(self, epochs=1):
        """Train for ``epochs`` more epochs; returns ``self.history`` (loss and accuracy after
        each epoch, on all the data).  Stops early, with ``self.message``, if the loss blows up."""
        if not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"epochs must be a positive int, got {epochs!r}")
        if self.message.startswith("Training stopped"):
            return self.history
        for _ in range(epochs):
            h = self.model.fit(self.X, self.y, epochs=1, batch_size=self.batch_size)
            if h.stopped_reason:
                self.message = h.stopped_reason
                break
            loss, acc = self.model.evaluate(self.X, self.y)
            self.epoch += 1
            self.history["loss"].append(loss)
            self.history["accuracy"].append(acc)
        return self.history

    @property
    def accuracy(self):
        """Accuracy on the data now (0..1)."""
        return float(self.model.evaluate(self.X, self.y)[1])

    def draw(self, fig=None):
        """The decision boundary and the loss curve side by side; returns the figure."""
        if fig is None:
            fig = plt.figure(figsize=(10, 4))
        fig.clear()
        ax1, ax2 = fig.subplots(1, 2)
        layers = "-".join(str(h) for h in (2, *self.hidden, self.n_classes))
        plot_decision_boundary(
            self.model.predict,
            self.X,
            self.y,
            ax=ax1,
            resolution=80,
            title=f"{self.dataset}, {layers} {self.activation}: epoch {self.epoch}, "
            f"accuracy {self.accuracy:.0%}",
        )
        if self.history["loss"]:
            epochs = np.arange(1, len(self.history["loss"]) + 1)
            ax2.plot(epochs, self.history["loss"], color=OKABE_ITO[0], label="loss")
            ax2.set_yscale("log")
        ax2.set(title="Training loss", xlabel="epoch", ylabel="cross-entropy (log scale)")
        return fig

    # ------------------------------------------------------------------ the widget
    @property
    def widget(self):
        """The interactive playground (built on first use)."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def show(self):
        """Display the widget in a notebook."""
        from IPython.display import display

        display(self.widget)

    def _build_widget(self):
        import ipywidgets as widgets

        style = {"description_width": "initial"}
        self.controls = {
            "dataset": widgets.Dropdown(options=DATASETS, value=self.dataset, description="data"),
            "layers": widgets.IntSlider(
                value=len(self.hidden), min=0, max=4, description="hidden layers", style=style
            ),
            "neurons": widgets.IntSlider(
                value=self.hidden[0] if self.hidden else 8, min=1, max=32, description="neurons"
            ),
            "activation": widgets.Dropdown(
                options=ACTIVATIONS, value=self.activation, description="activation"
            ),
            "learning_rate": widgets.FloatLogSlider(
                value=self.learning_rate, base=10, min=-4, max=0.5, step=0.1,
                description="learning rate", style=style,
            ),
            "epochs": widgets.IntSlider(
                value=50, min=5, max=500, step=5, description="epochs per click", style=style
            ),
        }  # fmt: skip
        self.train_button = widgets.Button(description="Train", button_style="success")
        self.reset_button = widgets.Button(description="Reset")
        self.status = widgets.Label()
        self.output = widgets.Output()
        self.train_button.on_click(self._on_train)
        self.reset_button.on_click(self._on_reset)
        for name in ("dataset", "layers", "neurons", "activation", "learning_rate"):
            self.controls[name].observe(self._on_reset, names="value")
        c = self.controls
        box = widgets.VBox(
            [
                widgets.HBox([c["dataset"], c["activation"], c["learning_rate"]]),
                widgets.HBox([c["layers"], c["neurons"], c["epochs"]]),
                widgets.HBox([self.train_button, self.reset_button, self.status]),
                self.output,
            ]
        )
        box.add_class("nnlib-playground")
        self._redraw()
        return box

    def _settings_from_controls(self):
        c = self.controls
        self.dataset = c["dataset"].value
        self.activation = c["activation"].value
        self.learning_rate = float(c["learning_rate"].value)
        self.hidden = (c["neurons"].value,) * c["layers"].value

    def _on_reset(self, _change=None):
        self._settings_from_controls()
        self.reset()
        self._redraw()

    def _on_train(self, _button=None):
        total = self.controls["epochs"].value
        self.train_button.disabled = True
        try:
            done = 0
            while done < total:
                step = min(self.redraw_every, total - done)
                self.train(step)
                done += step
                self._redraw()
                if self.message:
                    break
        finally:
            self.train_button.disabled = False

    def _redraw(self):
        from IPython.display import display

        with self.output:
            self.output.clear_output(wait=True)
            fig = self.draw()
            display(fig)
            plt.close(fig)
        loss = f"{self.history['loss'][-1]:.4f}" if self.history["loss"] else "-"
        self.status.value = self.message or (
            f"epoch {self.epoch}   loss {loss}   accuracy {self.accuracy:.1%}"
        )
