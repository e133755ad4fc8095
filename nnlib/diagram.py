"""Draw a layered (fully connected) network as circles and lines - lesson 3.

>>> from nnlib.diagram import draw_network
>>> ax = draw_network([2, 3, 1])                       # input, one hidden layer, output
>>> ax = draw_network([784, 128, 10], max_neurons=8)    # big layers are shown in part
>>> ax = draw_network([2, 2, 1], weights=[W1, W2])      # line width ~ |w|, colour = sign
"""

from __future__ import annotations

import numpy as np

from .plotting import OKABE_ITO

__all__ = ["draw_network"]

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
    positions = []  # per layer: {neuron index: (x, y)}
    for li, n in enumerate(sizes):
        idx, gap = _shown(n, max_neurons)
        slots = len(idx) + (gap is not None)
        ys = (np.arange(slots)[::-1] - (slots - 1) / 2) * 1.0
        pos, k = {}, 0
        for slot in range(slots):
            if gap is not None and slot == gap:
                ax.text(2.0 * li, ys[slot], "⋮", ha="center", va="center", fontsize=16)
                continue
            pos[idx[k]] = (2.0 * li, ys[slot])
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
                            fontsize=9,
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
                    fontsize=9,
                )
        ax.text(2.0 * li, -(height - 1) / 2 - 0.75, layer_labels[li], ha="center", va="top")
    if Ws is not None:
        ax.plot([], [], color=POSITIVE_COLOR, label="positive weight")
        ax.plot([], [], color=NEGATIVE_COLOR, linestyle="--", label="negative weight")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
    ax.set_xlim(-0.8, 2.0 * (n_layers - 1) + 0.8)
    ax.set_ylim(-(height - 1) / 2 - 1.6, (height - 1) / 2 + 0.7)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title)
    return ax
