"""Draw a layered (fully connected) network as circles and lines - lesson 3.

>>> from nnlib.show.diagram import draw_network
>>> ax = draw_network([2, 3, 1])                       # input, one hidden layer, output
>>> ax = draw_network([784, 128, 10], max_neurons=8)    # big layers are shown in part
>>> ax = draw_network([2, 2, 1], weights=[W1, W2])      # line width ~ |w|, colour = sign
"""

from __future__ import annotations

import numpy as np

from .figures import describe
from .plotting import OKABE_ITO

__all__ = ["draw_lstm_cell", "draw_network", "draw_pipeline", "draw_unrolled_rnn"]

POSITIVE_COLOR = OKABE_ITO[0]  # blue
NEGATIVE_COLOR = OKABE_ITO[5]  # vermillion
LAYER_COLORS = (OKABE_ITO[4], OKABE_ITO[2], OKABE_ITO[1])  # input, hidden, output


def _check_sizes(layer_sizes):
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(
            f"layer_sizes must be a list of ints such as [2, 3, 1], got "
            f"{type(layer_sizes).__name__} ({layer_sizes!r})"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least 2 layers (input and output), got {len(sizes)}: {sizes}"
        )
    for i, s in enumerate(sizes):
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"layer_sizes[{i}] must be an int, got {type(s).__name__} ({s!r})")
        if s < 1:
            raise ValueError(f"layer_sizes[{i}] must be >= 1, got {s}")
    return [int(s) for s in sizes]


def _check_weights(weights, sizes):
    if weights is None:
        return None
    if len(weights) != len(sizes) - 1:
        raise ValueError(
            f"weights must hold {len(sizes) - 1} matrices for {len(sizes)} layers, "
            f"got {len(weights)}"
        )
    out = []
    for i, W in enumerate(weights):
        W = np.asarray(W, dtype=np.float64)
        expected = (sizes[i], sizes[i + 1])
        if W.shape != expected:
            raise ValueError(f"weights[{i}] must have shape {expected}, got {W.shape}")
        out.append(W)
    return out


def _shown(n, max_neurons):
    """Indices of the neurons drawn for a layer of size n (first and last ones if too many)."""
    if n <= max_neurons:
        return list(range(n)), None
    top = max_neurons // 2
    bottom = max_neurons - top - 1  # one slot for the "..." marker
    return list(range(top)) + list(range(n - bottom, n)), top


def draw_network(
    layer_sizes,
    ax=None,
    layer_labels=None,
    weights=None,
    biases=None,
    max_neurons=10,
    show_values=None,
    title="Network diagram",
):
    """Draw a fully connected network: one column of circles per layer, a line per weight.

    Parameters
    ----------
    layer_sizes : list of int
        Neurons per layer, input first, e.g. ``[2, 3, 1]``; at least two layers.
    ax : matplotlib axes, optional
    layer_labels : list of str, optional
        One label per layer; default "input", "hidden 1", ..., "output", each with its size.
    weights : list of arrays, optional
        ``weights[i]`` of shape ``(layer_sizes[i], layer_sizes[i+1])`` (as ``Dense.W``): line
        width grows with ``|w|``, blue for positive and vermillion (dashed) for negative weights.
    biases : list of arrays, optional
        ``biases[i]`` of shape ``(layer_sizes[i+1],)``, written under the neurons when
        ``show_values``.
    max_neurons : int
        Larger layers show their first and last neurons with a "⋮" in between.
    show_values : bool, optional
        Write the weight values on the lines; default: only when every layer is small (≤ 3).
    title : str

    Returns
    -------
    The matplotlib axes.  Neurons are ``matplotlib.patches.Circle`` patches; the lines of
    layer ``i`` to ``i+1`` form one ``LineCollection`` in ``ax.collections``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Circle

    sizes = _check_sizes(layer_sizes)
    if isinstance(max_neurons, bool) or not isinstance(max_neurons, (int, np.integer)):
        raise TypeError(f"max_neurons must be an int, got {type(max_neurons).__name__}")
    if max_neurons < 3:
        raise ValueError(f"max_neurons must be >= 3, got {max_neurons}")
    Ws = _check_weights(weights, sizes)
    if biases is not None:
        if len(biases) != len(sizes) - 1:
            raise ValueError(f"biases must hold {len(sizes) - 1} vectors, got {len(biases)}")
        biases = [np.asarray(b, dtype=np.float64).reshape(-1) for b in biases]
        for i, b in enumerate(biases):
            if b.shape != (sizes[i + 1],):
                raise ValueError(f"biases[{i}] must have shape ({sizes[i + 1]},), got {b.shape}")
    if layer_labels is None:
        layer_labels = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
        layer_labels = [f"{name}\n({n})" for name, n in zip(layer_labels, sizes)]
    elif len(layer_labels) != len(sizes):
        raise ValueError(f"layer_labels needs {len(sizes)} labels, got {len(layer_labels)}")
    if show_values is None:
        show_values = Ws is not None and max(sizes) <= 3

    n_layers = len(sizes)
    ax = ax or plt.subplots(figsize=(1.9 * n_layers + 1, 3.8))[1]
    height = min(max(sizes), max_neurons)
    radius = 0.22
    dx = _layer_gap(ax, n_layers, height)  # layers spread over the panel's width
    positions = []  # per layer: {neuron index: (x, y)}
    for li, n in enumerate(sizes):
        idx, gap = _shown(n, max_neurons)
        slots = len(idx) + (gap is not None)
        ys = (np.arange(slots)[::-1] - (slots - 1) / 2) * 1.0
        pos, k = {}, 0
        for slot in range(slots):
            if gap is not None and slot == gap:
                ax.text(dx * li, ys[slot], "⋮", ha="center", va="center", fontsize="x-large")
                continue
            pos[idx[k]] = (dx * li, ys[slot])
            k += 1
        positions.append(pos)

    for li in range(n_layers - 1):
        segs, widths, colors, styles = [], [], [], []
        scale = np.abs(Ws[li]).max() if Ws is not None and np.abs(Ws[li]).max() > 0 else 1.0
        for i, (x0, y0) in positions[li].items():
            for j, (x1, y1) in positions[li + 1].items():
                segs.append([(x0 + radius, y0), (x1 - radius, y1)])
                if Ws is None:
                    widths.append(0.8)
                    colors.append("grey")
                    styles.append("solid")
                else:
                    w = Ws[li][i, j]
                    widths.append(0.5 + 3.5 * abs(w) / scale)
                    colors.append(POSITIVE_COLOR if w >= 0 else NEGATIVE_COLOR)
                    styles.append("solid" if w >= 0 else "dashed")
                    if show_values:
                        t = 0.3 if len(positions[li + 1]) > 1 else 0.5
                        ax.text(
                            x0 + t * (x1 - x0),
                            y0 + t * (y1 - y0) + 0.08,
                            f"{w:g}",
                            fontsize="small",
                            ha="center",
                            color=colors[-1],
                            bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.5},
                        )
        ax.add_collection(
            LineCollection(segs, linewidths=widths, colors=colors, linestyles=styles, zorder=1)
        )

    for li, pos in enumerate(positions):
        color = LAYER_COLORS[0 if li == 0 else (2 if li == n_layers - 1 else 1)]
        for j, (x, y) in pos.items():
            ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor="black", zorder=3))
            if show_values and biases is not None and li > 0:
                ax.text(
                    x,
                    y - radius - 0.12,
                    f"b={biases[li - 1][j]:g}",
                    ha="center",
                    va="top",
                    fontsize="small",
                )
        ax.text(dx * li, -(height - 1) / 2 - 0.75, layer_labels[li], ha="center", va="top")
    if Ws is not None:
        ax.plot([], [], color=POSITIVE_COLOR, label="positive weight")
        ax.plot([], [], color=NEGATIVE_COLOR, linestyle="--", label="negative weight")
        ax.legend(loc="upper right", fontsize="small", framealpha=0.8)
    ax.set_xlim(-0.8, dx * (n_layers - 1) + 0.8)
    ax.set_ylim(-(height - 1) / 2 - 1.6, (height - 1) / 2 + 0.7)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title)
    return ax


# --- Block diagrams: a pipeline of layers, an unrolled RNN, an LSTM cell (lessons 09-11) ---------


def _layer_gap(ax, n_layers, height):
    """Horizontal distance between layers (data units; neurons are 1 apart vertically): 2, or
    more when the panel is wider than the drawing, so that the layer names under a tall network
    (8 rows in a narrow space) do not run into each other at large (classroom) font sizes."""
    if n_layers < 2:
        return 2.0
    w, h = ax.figure.get_size_inches() * ax.get_position().size
    drawing_height = height + 2.3  # the y limits set below
    return float(np.clip((0.9 * w / h * drawing_height - 1.6) / (n_layers - 1), 2.0, 6.0))


def _box(ax, x, y, w, h, text, color, hatch=None, fontsize="small"):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02",
            facecolor=color,
            edgecolor="black",
            linewidth=1.2,
            hatch=hatch,
            alpha=0.9,
        )
    )
    t = ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)
    t._nnlib_box_width = w  # data units: _fit_box_texts keeps the text inside
    return t


def _fit_box_texts(ax):
    """Shrink the labels of this axes' boxes, all by one factor, until the widest fits its box
    (long layer names in a long pipeline, large classroom fonts).  Sizes stay relative to the
    style: a label is never made larger, nor smaller than 60 % of the style's size."""
    texts = [t for t in ax.texts if hasattr(t, "_nnlib_box_width")]
    if not texts:
        return
    ax.figure.draw_without_rendering()
    renderer = ax.figure._get_renderer()
    to_px = ax.transData.transform
    factor = 1.0
    for t in texts:
        box = abs(to_px((t._nnlib_box_width, 0))[0] - to_px((0, 0))[0])
        width = t.get_window_extent(renderer).width
        if width > 0:
            factor = min(factor, 0.92 * box / width)
    if factor < 1.0:
        for t in texts:
            t.set_fontsize(t.get_fontsize() * max(factor, 0.6))


def _arrow(ax, start, end, text=None, color="black"):
    ax.annotate(
        "", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": color, "lw": 1.5}
    )
    if text:
        ax.text(
            (start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.12, text, ha="center", va="bottom"
        )


def draw_pipeline(stages, frozen=(), ax=None, title="Layers and shapes"):
    """Draw a model as boxes from left to right, each with its name and output shape.

    ``stages``: a list of ``(name, shape_text)`` pairs, e.g. ``[("input", "28×28×1"), ("Conv 3×3,
    32", "26×26×32"), ...]``. ``frozen``: indices of stages drawn hatched and grey (not trained).
    Returns the axes; the figure's alt text names every stage (``nnlib.show.figures``)."""
    import matplotlib.pyplot as plt

    stages = list(stages)
    if not stages or not all(isinstance(s, (tuple, list)) and len(s) == 2 for s in stages):
        raise ValueError(
            f"stages must be a non-empty list of (name, shape_text) pairs, got {stages!r}"
        )
    frozen = set(frozen)
    if not frozen <= set(range(len(stages))):
        raise ValueError(f"frozen holds indices 0..{len(stages) - 1}, got {sorted(frozen)}")
    ax = ax or plt.subplots(figsize=(max(6.0, 1.7 * len(stages)), 2.6))[1]
    for i, (name, shape) in enumerate(stages):
        is_frozen = i in frozen
        color = "#d9d9d9" if is_frozen else OKABE_ITO[2 if i in (0, len(stages) - 1) else 4]
        _box(ax, 2.0 * i, 0, 1.6, 1.0, str(name), color, hatch="//" if is_frozen else None)
        ax.text(2.0 * i, -0.8, str(shape), ha="center", va="top")
        if i:
            _arrow(ax, (2.0 * i - 1.18, 0), (2.0 * i - 0.82, 0))
    ax.set(xlim=(-1.1, 2.0 * len(stages) - 0.9), ylim=(-1.5, 1.0), title=title)
    ax.axis("off")
    _fit_box_texts(ax)
    parts = [f"{n} ({s}){' — frozen' if i in frozen else ''}" for i, (n, s) in enumerate(stages)]
    describe(ax, "Boxes from left to right: " + ", then ".join(parts) + ".")
    return ax


def draw_unrolled_rnn(steps=4, ax=None, title="An RNN unrolled over time"):
    """Draw a recurrent cell unrolled over ``steps`` time steps: the same cell (same weights
    W_x, W_h, b) at every step, the state h passed from each step to the next."""
    import matplotlib.pyplot as plt

    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 1 <= steps <= 8:
        raise ValueError(f"steps must be an int from 1 to 8, got {steps!r}")
    ax = ax or plt.subplots(figsize=(2.2 * steps + 1.5, 3.4))[1]
    for t in range(1, steps + 1):
        x = 2.2 * t
        _box(ax, x, 0, 1.3, 0.9, "cell\n$W_x, W_h, b$", OKABE_ITO[4])
        ax.text(x, -1.35, f"$x_{t}$", ha="center", va="center")
        _arrow(ax, (x, -1.15), (x, -0.5))
        ax.text(x, 1.35, f"$h_{t}$", ha="center", va="center")
        _arrow(ax, (x, 0.5), (x, 1.15))
        _arrow(ax, (x - 1.55, 0), (x - 0.7, 0), text=f"$h_{t - 1}$")
    ax.set(xlim=(0.4, 2.2 * steps + 1.0), ylim=(-1.7, 1.7), title=title)
    ax.axis("off")
    _fit_box_texts(ax)
    describe(
        ax,
        f"{steps} copies of the same recurrent cell side by side, one per time step. Each reads "
        "its input x_t from below and the previous state h_(t-1) from the left, and passes its "
        "new state h_t up (the output) and right (to the next step). All copies share W_x, W_h, b.",
    )
    return ax


def draw_lstm_cell(ax=None, title="Inside an LSTM cell"):
    """Draw an LSTM cell: the cell state c runs along the top, changed only by the forget gate
    (×) and the input gate (+); the output gate reads tanh(c) to give h."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(9, 4.2))[1]
    _arrow(ax, (0.2, 2.5), (8.8, 2.5), color=OKABE_ITO[5])
    ax.text(0.2, 2.75, "$c_{t-1}$", ha="left")
    ax.text(8.8, 2.75, "$c_t$", ha="right")
    ax.text(4.5, 3.1, "cell state: only × and + touch it", ha="center", color=OKABE_ITO[5])
    gates = [
        (2.0, "forget $f$\nσ"),
        (4.0, "input $i$\nσ"),
        (5.3, "candidate\ntanh"),
        (7.2, "output $o$\nσ"),
    ]
    for x, label in gates:
        _box(ax, x, 0.6, 1.15, 0.8, label, OKABE_ITO[4])
    for x, op in [(2.0, "×"), (4.65, "+")]:
        ax.add_patch(plt.Circle((x, 2.5), 0.25, facecolor="white", edgecolor="black", zorder=3))
        ax.text(x, 2.5, op, ha="center", va="center", zorder=4)
    _arrow(ax, (2.0, 1.0), (2.0, 2.25))
    ax.add_patch(plt.Circle((4.65, 1.7), 0.22, facecolor="white", edgecolor="black", zorder=3))
    ax.text(4.65, 1.7, "×", ha="center", va="center", zorder=4)
    _arrow(ax, (4.0, 1.0), (4.5, 1.55))
    _arrow(ax, (5.3, 1.0), (4.8, 1.55))
    _arrow(ax, (4.65, 1.92), (4.65, 2.25))
    _box(ax, 8.0, 1.7, 0.8, 0.5, "tanh", "white")
    _arrow(ax, (8.0, 2.45), (8.0, 1.95))
    ax.add_patch(plt.Circle((8.0, 0.6), 0.22, facecolor="white", edgecolor="black", zorder=3))
    ax.text(8.0, 0.6, "×", ha="center", va="center", zorder=4)
    _arrow(ax, (8.0, 1.45), (8.0, 0.82))
    _arrow(ax, (7.77, 0.6), (7.8, 0.6))
    _arrow(ax, (8.22, 0.6), (8.9, 0.6), text="$h_t$")
    ax.plot([0.2, 7.2], [-0.3, -0.3], color="black", lw=1.2)
    for x, _ in gates:
        _arrow(ax, (x, -0.3), (x, 0.2))
    ax.text(0.2, -0.6, "$[x_t, h_{t-1}]$ feeds all four", ha="left", va="top")
    ax.set(xlim=(0, 9.2), ylim=(-1.0, 3.4), title=title)
    ax.axis("off")
    _fit_box_texts(ax)
    describe(
        ax,
        "An LSTM cell. The cell state runs straight along the top from c_(t-1) to c_t and is "
        "changed only by a multiplication with the forget gate and an addition of the input gate "
        "times the tanh candidate. The output gate multiplies tanh(c_t) to give h_t. All four "
        "gates read the input x_t and the previous output h_(t-1).",
    )
    return ax
