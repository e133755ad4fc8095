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

How the widget animates (as TensorFlow Playground does):

* **frames by time**: training runs epoch after epoch and a frame is drawn at most every
  ``frame_interval`` seconds (0.1 s: about 10 frames a second), however many epochs fit in
  between, and once more at the end;
* **a frame updates one figure in place**: the figure is built once; a frame changes the
  boundary image (``set_data``), the loss line and the title, renders the figure with Agg and
  puts the PNG into an ``ipywidgets.Image`` (no new figure, no ``Output`` redisplay);
* **training yields to the kernel between frames**: the Train button starts an ``asyncio`` task
  on the kernel's event loop (the ipywidgets "asynchronous widgets" pattern), so **Pause** and
  **Stop** work while it trains, and the lesson's other widgets keep answering.

Without a running event loop (a plain script, a test calling ``train_button.click()``) the same
run happens synchronously.  :meth:`start`, :meth:`pause`, :meth:`resume` and :meth:`stop` are
the buttons' plain methods.
"""

from __future__ import annotations

import asyncio
import time

import matplotlib.pyplot as plt
import numpy as np

from . import data, nn
from .figures import alt_text
from .plotting import OKABE_ITO, class_style, plot_decision_boundary
from .widgets import FigureImage, image_widget

DATASETS = ("moons", "circles", "xor", "spirals", "blobs")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
OPTIMIZERS = ("adam", "sgd")


def _check_choice(value, valid, what):
    if value not in valid:
        raise ValueError(f"unknown {what} {value!r}; valid choices are {list(valid)}")
    return value


def _check_epochs(epochs):
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    return int(epochs)


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
    frame_interval : seconds between frames while the widget trains (0.1 = about 10 a second)
    resolution : grid points per side of the boundary image
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
        frame_interval=0.1,
        resolution=80,
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
        if not isinstance(frame_interval, (int, float)) or frame_interval < 0:
            raise ValueError(
                f"frame_interval must be a number of seconds >= 0, got {frame_interval!r}"
            )
        self.hidden = hidden
        self.learning_rate = float(learning_rate)
        self.n_samples, self.batch_size, self.seed = n_samples, batch_size, seed
        self.frame_interval, self.resolution = float(frame_interval), int(resolution)
        self._widget = None
        self._fig = None
        self._task = None
        self._run_id = 0
        self.state = "idle"  # "idle", "running" or "paused"
        self.remaining = 0  # epochs left in the current run
        self._planned_epochs = 0
        self.frames = 0  # frames drawn since the last start()
        self.last_run_seconds = None  # start() to the last frame of the last finished run
        self.reset()

    # ------------------------------------------------------------------ headless API
    def reset(self):
        """New data and fresh weights for the current settings; epoch 0 (stops a run)."""
        self._halt()
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
        self.epoch, self._planned_epochs = 0, 0
        self.history = {"loss": [], "accuracy": []}
        self.message = ""
        if self._fig is not None and self._fig_data != (self.dataset, self.n_samples, self.seed):
            self._fig = None  # new data: the live figure is rebuilt on the next frame
        # same data: the figure stays (its loss axis too: a frame only blits, ~20 ms)
        return self

    def train(self, epochs=1):
        """Train for ``epochs`` more epochs; returns ``self.history`` (loss and accuracy after
        each epoch, on all the data).  Stops early, with ``self.message``, if the loss blows up."""
        epochs = _check_epochs(epochs)
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
        """The decision boundary and the loss curve side by side, as a new pyplot figure (for
        a static picture; the widget updates one figure in place instead)."""
        if fig is None:
            fig = plt.figure(figsize=(10, 4))
        fig.clear()
        ax1, ax2 = fig.subplots(1, 2)
        plot_decision_boundary(
            self.model.predict, self.X, self.y, ax=ax1, resolution=self.resolution,
            title=self._title(self.accuracy),
        )  # fmt: skip
        if self.history["loss"]:
            epochs = np.arange(1, len(self.history["loss"]) + 1)
            ax2.plot(epochs, self.history["loss"], color=OKABE_ITO[0], label="loss")
            ax2.set_yscale("log")
        ax2.set(title="Training loss", xlabel="epoch", ylabel="cross-entropy (log scale)")
        return fig

    def _title(self, accuracy):
        layers = "-".join(str(h) for h in (2, *self.hidden, self.n_classes))
        return (
            f"{self.dataset}, {layers} {self.activation}: epoch {self.epoch}, "
            f"accuracy {accuracy:.0%}"
        )

    # ------------------------------------------------------------------ one figure, in place
    def _build_figure(self):
        from matplotlib.colors import ListedColormap

        self._view = FigureImage((11, 4), dpi=72)
        fig = self._view.fig
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.13, top=0.9, wspace=0.42)
        ax1, ax2 = fig.subplots(1, 2)
        pad = 0.5
        x0, x1 = self.X[:, 0].min() - pad, self.X[:, 0].max() + pad
        y0, y1 = self.X[:, 1].min() - pad, self.X[:, 1].max() + pad
        xx, yy = np.meshgrid(
            np.linspace(x0, x1, self.resolution), np.linspace(y0, y1, self.resolution)
        )
        self._grid = np.c_[xx.ravel(), yy.ravel()]
        k = self.n_classes
        self._boundary = ax1.imshow(
            np.zeros(xx.shape), extent=(x0, x1, y0, y1), origin="lower", aspect="auto",
            cmap=ListedColormap(OKABE_ITO[:k]), vmin=-0.5, vmax=k - 0.5, alpha=0.3,
            interpolation="nearest",
        )  # fmt: skip
        points = [
            ax1.scatter(
                self.X[m, 0],
                self.X[m, 1],
                s=18,
                **class_style(c),
                edgecolor="white",
                linewidth=0.5,
                label=f"class {c}",
            )  # fmt: skip
            for c, m in ((c, self.y == c) for c in range(k))
        ]
        ax1.set(xlabel="$x_1$", ylabel="$x_2$", xlim=(x0, x1), ylim=(y0, y1))
        fig.legend(handles=points, loc="center", bbox_to_anchor=(0.5, 0.55), frameon=False)
        ax1.set_title(self._title(0.0), fontsize=11)
        (self._loss_line,) = ax2.plot([], [], color=OKABE_ITO[0], marker="", label="loss")
        ax2.set_yscale("log")
        ax2.set(title="Training loss", xlabel="epoch", ylabel="cross-entropy (log scale)")
        ax2.set_ylim(0.01, 10)
        # Blitting: these artists change between frames; the rest (axes, ticks, labels) is
        # drawn once into a background that every frame starts from.
        self._view.animate(self._boundary, *points, ax1.title, self._loss_line)
        self._axes = (ax1, ax2)
        self._fig, self._fig_data = fig, (self.dataset, self.n_samples, self.seed)
        return fig

    def _loss_limits_ok(self, loss):
        """Move the loss axis only when the curve leaves it (then the background is redrawn)."""
        ax2 = self._axes[1]
        ok = True
        xmax = max(len(loss), self._planned_epochs, 10)
        if ax2.get_xlim()[1] < xmax:  # the axis only grows (a redraw of the axes costs)
            ax2.set_xlim(0, xmax)
            ok = False
        finite = np.asarray(loss)[np.isfinite(loss) & (np.asarray(loss) > 0)]
        if len(finite):
            bottom, top = ax2.get_ylim()
            lo, hi = finite.min(), finite.max()
            if lo < bottom or hi > top:
                ax2.set_ylim(
                    min(bottom, 10 ** np.floor(np.log10(lo))), max(top, 10 ** np.ceil(np.log10(hi)))
                )
                ok = False
        return ok

    def frame(self):
        """Update the live figure to the model now and return it as PNG bytes (what the
        widget's image shows).  Builds the figure on first use; later calls redraw only the
        boundary image, the points, the loss line and the title over a saved background."""
        if self._fig is None:
            self._build_figure()
        ax1, _ = self._axes
        labels = self.model.predict(self._grid).argmax(axis=1)
        self._boundary.set_data(labels.reshape(self.resolution, self.resolution))
        loss = self.history["loss"]
        acc = self.history["accuracy"][-1] if self.history["accuracy"] else self.accuracy
        ax1.set_title(self._title(acc), fontsize=11)
        self._loss_line.set_data(np.arange(1, len(loss) + 1), loss)
        png = self._view.png(full=not self._loss_limits_ok(loss))
        self.frames += 1
        return png

    def status_text(self):
        """The status line (also the text alternative of the figure)."""
        if self.message:
            return self.message
        loss = f"{self.history['loss'][-1]:.4f}" if self.history["loss"] else "-"
        acc = self.history["accuracy"][-1] if self.history["accuracy"] else self.accuracy
        state = {"running": "   training...", "paused": "   paused"}.get(self.state, "")
        left = f" ({self.remaining} epochs left)" if self.state == "paused" else ""
        return f"epoch {self.epoch}   loss {loss}   accuracy {acc:.1%}{state}{left}"

    # ------------------------------------------------------------------ animated training
    @property
    def running(self):
        """True while a run is going on or paused (a task on the event loop)."""
        return self.state != "idle"

    def start(self, epochs=None):
        """Start training ``epochs`` more epochs (default: the widget's *epochs per click*, else
        100) as an ``asyncio`` task on the running event loop, drawing frames by time; returns
        the task.  Without a running loop the run happens now, synchronously, and ``None`` is
        returned."""
        if epochs is None:
            epochs = self.controls["epochs"].value if self._widget is not None else 100
        epochs = _check_epochs(epochs)
        if self.state == "paused":
            self.stop()
        if self.state == "running":
            raise RuntimeError("the playground is already training: pause() or stop() it first")
        self.remaining, self.state, self.frames = epochs, "running", 0
        self._planned_epochs = self.epoch + epochs  # the loss axis spans the whole run
        self._t_start = time.perf_counter()
        self._sync_buttons()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        self._run_id += 1
        if loop is None:  # a script or a test: the same run, without yielding
            for _ in self._run_steps(wait=None, run_id=self._run_id):
                pass
            return None
        self._task = loop.create_task(self._run(self._run_id))
        return self._task

    def pause(self):
        """Pause a run after the current epoch (its remaining epochs are kept)."""
        if self.state == "running":
            self.state = "paused"
            self._sync_buttons()
            self._show_frame()

    def resume(self):
        """Go on with a paused run."""
        if self.state == "paused":
            self.state = "running"
            self._sync_buttons()

    def stop(self):
        """End the run now (after the current epoch); the trained weights stay."""
        if self.state != "idle":
            self._halt()
            self._sync_buttons()
            self._show_frame()

    def _halt(self):
        self.state, self.remaining = "idle", 0
        self._run_id += 1  # the loop of the current run sees this and ends

    def _run_steps(self, wait, run_id):
        """The training loop: epochs until the run is done, a frame whenever
        ``frame_interval`` has passed.  A generator of pauses when ``wait`` is not None."""
        last = time.perf_counter()
        while run_id == self._run_id and self.state != "idle" and self.remaining > 0:
            if self.state == "paused":
                if wait is None:
                    break
                yield
                continue
            self.train(1)
            self.remaining -= 1
            if self.message:
                break
            if time.perf_counter() - last >= self.frame_interval:
                self._show_frame()
                last = time.perf_counter()
                if wait is not None:
                    yield
        if run_id != self._run_id:  # a newer run (or a reset) took over
            return
        if self.state == "running" or self.message:
            self.state, self.remaining = "idle", 0
        self._show_frame()
        self.last_run_seconds = time.perf_counter() - self._t_start
        self._sync_buttons()

    async def _run(self, run_id):
        try:
            for _ in self._run_steps(wait=True, run_id=run_id):
                # let the kernel handle comm messages (Pause, Stop, other widgets)
                await asyncio.sleep(0.05 if self.state == "paused" else 0.001)
        except Exception as err:  # show it in the status line; a task's error is otherwise lost
            self.state, self.message = "idle", f"Training failed: {type(err).__name__}: {err}"
            self._show_frame()
            raise

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
                value=len(self.hidden), min=0, max=4, description="hidden layers", style=style,
                continuous_update=False,
            ),
            "neurons": widgets.IntSlider(
                value=self.hidden[0] if self.hidden else 8, min=1, max=32, description="neurons",
                continuous_update=False,
            ),
            "activation": widgets.Dropdown(
                options=ACTIVATIONS, value=self.activation, description="activation"
            ),
            "learning_rate": widgets.FloatLogSlider(
                value=self.learning_rate, base=10, min=-4, max=0.5, step=0.1,
                description="learning rate", style=style, continuous_update=False,
            ),
            "epochs": widgets.IntSlider(
                value=500, min=10, max=2000, step=10, description="epochs per click", style=style
            ),
        }  # fmt: skip
        self.train_button = widgets.Button(description="Train", button_style="success", icon="play")
        self.stop_button = widgets.Button(description="Stop", icon="stop", disabled=True)
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.status = widgets.Label().add_class("nnlib-playground-status")
        self.image = image_widget(792, 288)
        self.image.add_class("nnlib-playground-figure")
        self.train_button.on_click(self._on_train)
        self.stop_button.on_click(lambda _b: self.stop())
        self.reset_button.on_click(self._on_reset)
        for name in ("dataset", "layers", "neurons", "activation", "learning_rate"):
            self.controls[name].observe(self._on_reset, names="value")
        c = self.controls
        note = widgets.HTML(
            "<small>Sliders that rebuild the network apply when you release them. Train runs "
            "<i>epochs per click</i> more epochs, drawing about 10 frames a second; Pause and "
            "Stop work while it trains.</small>"
        )
        box = widgets.VBox(
            [
                widgets.HBox([c["dataset"], c["activation"], c["learning_rate"]]),
                widgets.HBox([c["layers"], c["neurons"], c["epochs"]]),
                widgets.HBox([self.train_button, self.stop_button, self.reset_button, self.status]),
                note,
                self.image,
            ]
        )
        box.add_class("nnlib-playground")
        box.playground, box.controls = self, self.controls
        self._widget = box
        self._show_frame()
        return box

    def _sync_buttons(self):
        if self._widget is None:
            return
        label = {"idle": ("Train", "play"), "running": ("Pause", "pause"),
                 "paused": ("Resume", "play")}[self.state]  # fmt: skip
        self.train_button.description, self.train_button.icon = label
        self.stop_button.disabled = self.state == "idle"

    def _show_frame(self):
        if self._widget is None:
            return
        png = self.frame()
        self.image.value = png
        self.status.value = self.status_text()
        # the text alternative of the figure (the <img>'s title): what it shows, in words
        self.image.tooltip = f"{alt_text(self._fig)} Status: {self.status.value}"

    def _settings_from_controls(self):
        c = self.controls
        self.dataset = c["dataset"].value
        self.activation = c["activation"].value
        self.learning_rate = float(c["learning_rate"].value)
        self.hidden = (c["neurons"].value,) * c["layers"].value

    def _on_reset(self, _change=None):
        self._settings_from_controls()
        self.reset()
        self._sync_buttons()
        self._show_frame()

    def _on_train(self, _button=None):
        if self.state == "running":
            self.pause()
        elif self.state == "paused":
            self.resume()
        else:
            self.start()
