"""Lesson 12's block diagram of a transformer block, pre-norm (GPT-2 onward, the lesson's model)
or post-norm (the original transformer of 2017): :func:`draw_transformer_block`.  Boxes and arrows
as the other block diagrams of :mod:`nnlib.show.diagram`, with alt text."""

from __future__ import annotations

from .diagram import _arrow, _box, _fit_box_texts
from .figures import describe
from .plotting import OKABE_ITO

__all__ = ["BLOCK_WORDS", "draw_transformer_block"]

#: what each block does, in words (the alt text of its drawing)
BLOCK_WORDS = {
    "pre": (
        "LayerNorm, then causal multi-head attention, whose output is added to the block's "
        "input (the residual path round the side); then LayerNorm, the MLP, and a second "
        "addition. The residual path from input to output never passes a LayerNorm."
    ),
    "post": (
        "causal multi-head attention, added to the block's input, then LayerNorm; then the MLP, "
        "a second addition and a second LayerNorm. Every path from input to output, the "
        "residual ones too, passes through a LayerNorm."
    ),
}

_COLORS = {"LN": OKABE_ITO[4], "MHA": OKABE_ITO[1], "MLP": OKABE_ITO[2]}


def _plus(ax, y):
    import matplotlib.pyplot as plt

    ax.add_patch(plt.Circle((0, y), 0.22, facecolor="white", edgecolor="black", zorder=3))
    ax.text(0, y, "+", ha="center", va="center", zorder=4)


def _skip(ax, y_from, y_to):
    """The residual path: from the main line at ``y_from`` round the right side into ``+``."""
    ax.plot([0, 1.35, 1.35], [y_from, y_from, y_to], color=OKABE_ITO[5], lw=1.8)
    _arrow(ax, (1.35, y_to), (0.24, y_to), color=OKABE_ITO[5])


def draw_transformer_block(ax=None, norm="pre", title=None):
    """One transformer block, from the input x (bottom) to the output (top).  ``norm="pre"``:
    ``x + MHA(LN(x))`` then ``x + MLP(LN(x))`` (the lesson's model); ``norm="post"``:
    ``LN(x + MHA(x))`` then ``LN(x + MLP(x))`` (Vaswani et al. 2017).  The residual paths are
    drawn in vermillion round the right side.  Returns the axes; a figure it makes itself
    gets the alt text :data:`BLOCK_WORDS` (on a given ``ax``, describe the whole figure)."""
    import matplotlib.pyplot as plt

    if norm not in ("pre", "post"):
        raise ValueError(f'norm must be "pre" or "post", got {norm!r}')
    own_figure = ax is None
    ax = ax or plt.subplots(figsize=(4.2, 7))[1]
    if norm == "pre":
        steps, skips = ["LN", "MHA", "+", "LN", "MLP", "+"], [(0.5, 3), (3.5, 6)]
        title = title or "Pre-norm block (this lesson, GPT-2)"
    else:
        steps, skips = ["MHA", "+", "LN", "MLP", "+", "LN"], [(0.5, 2), (3.5, 5)]
        title = title or "Post-norm block (original, 2017)"
    names = {
        "LN": "LayerNorm",
        "MHA": "causal multi-head\nattention",
        "MLP": "MLP: Dense 4d,\nrelu, Dense d",
    }
    ax.text(0, -0.3, "x (one vector per position)", ha="center", va="top")
    ax.plot([0, 0], [-0.25, 0.68], color="black", lw=1.5)
    for y, step in enumerate(steps, start=1):
        if step == "+":
            _plus(ax, y)
        else:
            _box(ax, 0, y, 1.9, 0.62, names[step], _COLORS[step])
        if y > 1:
            _arrow(ax, (0, y - 1 + (0.24 if steps[y - 2] == "+" else 0.32)),
                   (0, y - (0.24 if step == "+" else 0.32)))  # fmt: skip
    for y_from, y_to in skips:
        _skip(ax, y_from, y_to)
    y = len(steps)
    _arrow(ax, (0, y + (0.24 if steps[-1] == "+" else 0.32)), (0, y + 0.75))
    ax.text(0, y + 0.8, "to the next block", ha="center", va="bottom")
    ax.set(xlim=(-1.5, 1.8), ylim=(-1.1, y + 1.3), title=title)
    ax.axis("off")
    _fit_box_texts(ax)
    if own_figure:  # on a panel of a larger figure, the caller describes the whole figure
        describe(
            ax,
            f"A transformer block from its input x at the bottom to the top: {BLOCK_WORDS[norm]}",
        )
    return ax
