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
  **Stop** work while it trains, and the lesson's other widgets keep answering;
* **hidden neurons** (``neuron_views=True``, or the *hidden neurons* tick box): under the figure,
  one small image per neuron of the first hidden layer, its output over the input plane (as in
  TensorFlow Playground).  They come from the same forward pass over the grid as the boundary
  (no extra work but colouring) and are one image artist updated in place.

**Threads.**  JupyterLab 4.4+ sends widget messages to a kernel *subshell* (its setting
``commsOverSubshells``, default "perCommTarget"), and ipykernel 7 runs a subshell in its own
thread with its own event loop: a click on Train can start the run in that thread while a
slider's message is handled in the main one.  Every method that changes or draws the playground
therefore holds one lock (``threading.RLock``), taken per epoch and per frame, so a reset waits
for the epoch in progress and the run then ends; before this, a reset could land inside an
epoch (the old run finished it on the new network) and two threads drew one figure at once
(FreeType/Agg errors shown as "Training failed").

Without a running event loop (a plain script, a test calling ``train_button.click()``) the same
run happens synchronously.  :meth:`start`, :meth:`pause`, :meth:`resume` and :meth:`stop` are
the buttons' plain methods.
"""

from __future__ import annotations

import asyncio
import threading
import time

import matplotlib.pyplot as plt
import numpy as np

from .. import data, nn
from ..show.figures import alt_text
from ..show.plotting import OKABE_ITO, class_style, plot_decision_boundary
from .base import FigureImage, image_widget

DATASETS = ("moons", "circles", "xor", "spirals", "blobs")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
OPTIMIZERS = ("adam", "sgd")


def _check_choice(value, valid, what):
    if value not in valid:
        raise ValueError(f"unknown {what} {value!r}; valid choices are {list(valid)}")
    return value


def failure_message(err):
    """The status line after an error in a run: the exception's type, always, and its message
    (or "no message")."""
    detail = str(err).strip() or "no message"
    return f"Training failed: {type(err).__name__}: {detail}. Press Reset to start over."


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
    neuron_views : show what each neuron of the first hidden layer computes (small images under
        the figure; the widget's *hidden neurons* tick box switches them)
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
        neuron_views=True,
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
        self.neuron_views = bool(neuron_views)
        self._lock = threading.RLock()  # see "Threads" in the module docstring
        self._widget = None
        self._fig = None
        self._neurons_fig = None
        self._fig_data = None
        self._neurons_dirty = False  # tiles computed by the last frame, not yet shown
        self.neuron_frames = 0  # pictures of the hidden neurons drawn
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
        with self._lock:
            return self._reset()

    def _reset(self):
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
        # the figure stays (its loss axis too: a frame only blits, ~20 ms); new data are put
        # into it by the next frame
        if self._neurons_fig is not None and self._neurons_key != self._neurons_layout():
            self._neurons_fig = None  # another number of neurons (or new data): rebuilt
        return self

    def train(self, epochs=1):
        """Train for ``epochs`` more epochs; returns ``self.history`` (loss and accuracy after
        each epoch, on all the data).  Stops early, with ``self.message``, if the loss blows up."""
        epochs = _check_epochs(epochs)
        for _ in range(epochs):
            with self._lock:  # one epoch at a time: a reset from another thread waits for it
                if self.message.startswith(("Training stopped", "Training failed")):
                    break
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
        with self._lock:
            return float(self.model.evaluate(self.X, self.y)[1])

    def neuron_outputs(self, points):
        """What each neuron of the first hidden layer computes at ``points`` (n, 2): its
        activation of ``w1*x1 + w2*x2 + b``, shape (neurons, n).  ``None`` without a hidden
        layer.  The neuron views show this over the input plane."""
        points = np.asarray(points, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"points must have shape (n, 2), got {points.shape}")
        if not self.hidden:
            return None
        with self._lock:
            layer = self.model.layers[0]
            return layer.activation.f(points @ layer.W + layer.b).T

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
        from matplotlib.ticker import NullLocator

        self._view = FigureImage((11, 4), dpi=72)
        fig = self._view.fig
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.13, top=0.9, wspace=0.42)
        ax1, ax2 = fig.subplots(1, 2)
        ax1.set(xlabel="$x_1$", ylabel="$x_2$")
        # titles at a fixed height: matplotlib then skips measuring the tick labels to place
        # them (a third of a full redraw)
        ax1.set_title(self._title(0.0), fontsize="medium", y=1.0)
        (self._loss_line,) = ax2.plot([], [], color=OKABE_ITO[0], marker="", label="loss")
        ax2.set_yscale("log")
        ax2.set(xlabel="epoch", ylabel="cross-entropy (log scale)")
        ax2.set_title("Training loss", y=1.0)
        ax2.set_ylim(0.01, 10)
        # no minor ticks on the log axis: a full redraw (new data, the axis grows) builds
        # every tick, and the minor ones were half of a new figure's 100+ ms
        ax2.yaxis.set_minor_locator(NullLocator())
        self._axes = (ax1, ax2)
        self._boundary, self._points, self._legend = None, [], None
        self._fig = fig
        self._show_data()
        return fig

    def _show_data(self):
        """Put the data set into the live figure: the boundary image's extent and colours, the
        points, the legend.  A new data set reuses the figure (a full redraw, no new figure)."""
        from matplotlib.colors import ListedColormap

        ax1, _ = self._axes
        pad = 0.5
        x0, x1 = self.X[:, 0].min() - pad, self.X[:, 0].max() + pad
        y0, y1 = self.X[:, 1].min() - pad, self.X[:, 1].max() + pad
        xx, yy = np.meshgrid(
            np.linspace(x0, x1, self.resolution), np.linspace(y0, y1, self.resolution)
        )
        self._grid = np.c_[xx.ravel(), yy.ravel()]
        k = self.n_classes
        for artist in [self._boundary, *self._points, self._legend]:
            if artist is not None:
                artist.remove()
        self._boundary = ax1.imshow(
            np.zeros(xx.shape), extent=(x0, x1, y0, y1), origin="lower", aspect="auto",
            cmap=ListedColormap(OKABE_ITO[:k]), vmin=-0.5, vmax=k - 0.5, alpha=0.3,
            interpolation="nearest",
        )  # fmt: skip
        self._points = [
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
        ax1.set(xlim=(x0, x1), ylim=(y0, y1))
        self._legend = self._fig.legend(
            handles=self._points, loc="center", bbox_to_anchor=(0.5, 0.55), frameon=False
        )
        # Blitting: these artists change between frames; the rest (axes, ticks, labels) is
        # drawn once into a background that every frame starts from.
        self._view.animated = []
        self._view.animate(self._boundary, *self._points, ax1.title, self._loss_line)
        self._view.invalidate()
        self._fig_data = (self.dataset, self.n_samples, self.seed)

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
        boundary image, the points, the loss line and the title over a saved background.
        With ``neuron_views`` it also updates the hidden neurons' tiles (:meth:`neurons_frame`
        returns their PNG)."""
        with self._lock:
            return self._frame()

    def _frame(self):
        if self._fig is None:
            self._build_figure()
        elif self._fig_data != (self.dataset, self.n_samples, self.seed):
            self._show_data()
        ax1, _ = self._axes
        # one forward pass over the grid: the boundary, and the first hidden layer's outputs
        a = self._grid
        for i, layer in enumerate(self.model.layers):
            a = layer.forward(a)
            if i == 0 and self.neuron_views and self.hidden:
                self._update_neuron_tiles(a)
        labels = a.argmax(axis=1)
        self._boundary.set_data(labels.reshape(self.resolution, self.resolution))
        loss = self.history["loss"]
        acc = self.history["accuracy"][-1] if self.history["accuracy"] else self.accuracy
        ax1.title.set_text(self._title(acc))
        self._loss_line.set_data(np.arange(1, len(loss) + 1), loss)
        png = self._view.png(full=not self._loss_limits_ok(loss))
        self.frames += 1
        return png

    # ------------------------------------------------------------------ hidden neuron views
    def _neurons_layout(self):
        """(neurons, rows, columns, tile size, grid step): what fixes the neuron figure."""
        units = self.hidden[0] if self.hidden else 0
        cols = units if units <= 16 else int(np.ceil(units / 2))
        rows = int(np.ceil(units / cols)) if units else 0
        step = max(1, self.resolution // 20)  # 80 grid points -> 20x20 tiles
        return units, rows, cols, len(range(0, self.resolution, step)), step

    def _build_neuron_figure(self):
        from matplotlib.colors import LinearSegmentedColormap

        units, rows, cols, t, step = self._neurons_key = self._neurons_layout()
        gap, top = 2, 8  # columns between tiles; rows above each tile for its number
        self._neurons_view = FigureImage((11, 0.4 + 0.9 * rows), dpi=72)
        fig = self._neurons_view.fig
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=1 - 0.3 / (0.4 + 0.9 * rows))
        ax = fig.add_subplot()
        # tiles of t x t values in a grey frame (values below vmin), NaN (transparent) around
        # them; the tiles are filled in place each frame
        self._mosaic = np.full((rows, top + t + 2, cols, t + 2 + gap), np.nan)
        for j in range(units):
            r, c = divmod(j, cols)
            self._mosaic[r, top : top + t + 2, c, : t + 2] = -2.0
        view = self._mosaic.reshape(rows * (top + t + 2), cols * (t + 2 + gap))[:, :-gap]
        # orange (< 0), white (0), blue (> 0): Okabe-Ito, as TensorFlow Playground colours them
        cmap = LinearSegmentedColormap.from_list(
            "neuron", [OKABE_ITO[1], "white", OKABE_ITO[0]]
        ).with_extremes(bad=(1, 1, 1, 0), under="#999999")
        self._neurons_image = ax.imshow(
            view, cmap=cmap, vmin=-1, vmax=1, origin="upper", interpolation="nearest",
            aspect="equal",
        )  # fmt: skip
        for j in range(units):  # each neuron's number over its tile (static: background)
            r, c = divmod(j, cols)
            ax.text(c * (t + 2 + gap) + (t + 1) / 2, r * (top + t + 2) + top / 2 - 0.5, f"{j + 1}",
                    ha="center", va="center", fontsize="small")  # fmt: skip
        ax.set_axis_off()
        ax.set_title(
            f"Hidden layer 1: what each neuron computes over the input plane "
            f"({self.activation}; blue > 0, orange < 0)",
            fontsize="medium",
            y=1.0,  # a fixed height: no measuring (see _build_figure)
        )
        self._neurons_view.animate(self._neurons_image)
        self._neurons_fig = fig

    def _update_neuron_tiles(self, hidden):
        """``hidden`` (grid points, neurons): the first hidden layer over the boundary's grid."""
        if self._neurons_fig is None:
            self._build_neuron_figure()
        units, rows, cols, t, step = self._neurons_key
        res = self.resolution
        # the grid's rows run along x2 upwards; a tile shows x2 up: flip the rows
        tiles = hidden.reshape(res, res, units)[::-step, ::step][:t, :t]  # (t, t, units)
        scale = np.abs(tiles).max(axis=(0, 1))
        tiles = tiles / np.where(scale > 0, scale, 1.0)
        padded = np.full((t, t, rows * cols), np.nan)
        padded[:, :, :units] = tiles
        # (t, t, rows*cols) -> (rows, t, cols, t): written into the mosaic in place
        top, gap = self._mosaic.shape[1] - t - 2, self._mosaic.shape[3] - t - 2
        self._mosaic[:, top + 1 : top + 1 + t, :, 1 : 1 + t] = padded.reshape(
            t, t, rows, cols
        ).transpose(2, 0, 3, 1)
        self._neurons_image.set_data(
            self._mosaic.reshape(rows * (top + t + 2), cols * (t + 2 + gap))[:, :-gap]
        )
        self._neurons_dirty = True

    def neurons_frame(self):
        """The hidden neurons' picture now as PNG bytes (``None`` without a hidden layer)."""
        with self._lock:
            if not self.hidden:
                return None
            if self._neurons_fig is None or not self._neurons_dirty:
                if self._fig is None:
                    self._build_figure()  # the grid of the input plane
                self._update_neuron_tiles(self.model.layers[0].forward(self._grid))
            self._neurons_dirty = False
            self.neuron_frames += 1
            return self._neurons_view.png()

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
        with self._lock:
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
                loop = asyncio.get_running_loop()  # in JupyterLab 4.4+: the subshell's loop
            except RuntimeError:
                loop = None
            self._run_id += 1
            run_id = self._run_id
            if loop is not None:
                self._task = loop.create_task(self._run(run_id))
                return self._task
        for _ in self._run_steps(wait=None, run_id=run_id):  # a script or a test: no yielding
            pass
        return None

    def pause(self):
        """Pause a run after the current epoch (its remaining epochs are kept)."""
        with self._lock:
            if self.state == "running":
                self.state = "paused"
                self._sync_buttons()
                self._show_frame()

    def resume(self):
        """Go on with a paused run."""
        with self._lock:
            if self.state == "paused":
                self.state = "running"
                self._sync_buttons()

    def stop(self):
        """End the run now (after the current epoch); the trained weights stay."""
        with self._lock:
            if self.state != "idle":
                self._halt()
                self._sync_buttons()
                self._show_frame()

    def _halt(self):
        self.state, self.remaining = "idle", 0
        self._run_id += 1  # the loop of the current run sees this and ends

    def _run_steps(self, wait, run_id):
        """The training loop: epochs until the run is done, a frame whenever
        ``frame_interval`` has passed.  A generator of pauses when ``wait`` is not None.
        Each epoch (and its frame) holds the lock; the pauses do not."""
        last = time.perf_counter()
        while True:
            with self._lock:
                if run_id != self._run_id or self.state == "idle" or self.remaining <= 0:
                    break
                paused = self.state == "paused"
                if paused and wait is None:
                    break
                drew = False
                if not paused:
                    self.train(1)
                    self.remaining -= 1
                    if self.message:
                        break
                    if time.perf_counter() - last >= self.frame_interval:
                        self._show_frame()
                        last, drew = time.perf_counter(), True
            if paused or (drew and wait is not None):
                yield
        with self._lock:
            if run_id != self._run_id:  # a newer run (or a reset, a stop) took over
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
            with self._lock:
                if run_id == self._run_id:
                    self._halt()
                self.message = failure_message(err)
                self._sync_buttons()
                if self._widget is not None:
                    self.status.value = self.message
                try:
                    self._show_frame()
                except Exception:  # noqa: S110 - the status line already says what failed
                    pass
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
        self.neurons_checkbox = widgets.Checkbox(
            value=self.neuron_views, description="hidden neurons", indent=False,
            layout={"width": "130px"},
        )  # fmt: skip
        self.neurons_checkbox.observe(self._on_neuron_views, names="value")
        self.neurons_image = image_widget(792, 0)
        self.neurons_image.add_class("nnlib-playground-neurons")
        self.train_button.on_click(self._on_train)
        self.stop_button.on_click(lambda _b: self.stop())
        self.reset_button.on_click(self._on_reset)
        for name in ("dataset", "layers", "neurons", "activation", "learning_rate"):
            self.controls[name].observe(self._on_reset, names="value")
        c = self.controls
        note = widgets.HTML(
            "<small>Sliders that rebuild the network apply when you release them. Train runs "
            "<i>epochs per click</i> more epochs, drawing about 10 frames a second; Pause and "
            "Stop work while it trains. <i>Hidden neurons</i>: what each neuron of the first "
            "hidden layer outputs over the input plane, each tile scaled to its largest "
            "|output|.</small>"
        )
        box = widgets.VBox(
            [
                widgets.HBox([c["dataset"], c["activation"], c["learning_rate"]]),
                widgets.HBox([c["layers"], c["neurons"], c["epochs"]]),
                widgets.HBox(
                    [
                        self.train_button,
                        self.stop_button,
                        self.reset_button,
                        self.neurons_checkbox,
                        self.status,
                    ]
                ),  # fmt: skip
                note,
                self.image,
                self.neurons_image,
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
        with self._lock:
            png = self.frame()
            self.image.value = png
            self.status.value = self.status_text()
            # the text alternative of the figure (the <img>'s title): what it shows, in words
            self.image.tooltip = f"{alt_text(self._fig)} Status: {self.status.value}"
            self._show_neurons()

    def _show_neurons(self):
        shown = self.neuron_views and bool(self.hidden)
        self.neurons_image.layout.display = None if shown else "none"
        if not shown:
            return
        png = self.neurons_frame()
        w, h = self._neurons_fig.canvas.get_width_height()  # shown as wide as the figure above
        self.neurons_image.layout.width = "792px"
        self.neurons_image.layout.height = f"{round(792 * h / w)}px"
        self.neurons_image.value = png
        self.neurons_image.tooltip = alt_text(self._neurons_fig)

    def _on_neuron_views(self, change):
        with self._lock:
            self.neuron_views = bool(change["new"])
            self._neurons_dirty = False  # the tiles may be old: neurons_frame recomputes them
            self._show_neurons()

    def _settings_from_controls(self):
        c = self.controls
        self.dataset = c["dataset"].value
        self.activation = c["activation"].value
        self.learning_rate = float(c["learning_rate"].value)
        self.hidden = (c["neurons"].value,) * c["layers"].value

    def _on_reset(self, _change=None):
        with self._lock:
            self._settings_from_controls()
            self.reset()
            self._sync_buttons()
            self._show_frame()

    def _on_train(self, _button=None):
        with self._lock:
            if self.state == "running":
                self.pause()
            elif self.state == "paused":
                self.resume()
            else:
                self.start()
