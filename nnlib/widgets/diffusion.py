"""Lesson 13's diffusion "Try it": scrub through the reverse process (:func:`reverse_process_widget`)
- the snapshots that :func:`nnlib.byhand.denoiser.sample` keeps, from pure noise to digits, as one
row of images redrawn in place; :func:`trajectory_view` is what it shows, as plain values.
"""

from __future__ import annotations

import numpy as np

from .base import FigureImage, release_note

__all__ = ["check_trajectory", "trajectory_view", "reverse_process_widget"]


def check_trajectory(trajectory):
    """``trajectory`` as a list of ``(t, images (n, 28, 28))`` (what ``sample`` returns), or a
    ``TypeError``/``ValueError`` naming what is wrong."""
    if not isinstance(trajectory, (list, tuple)) or not trajectory:
        raise TypeError(
            "trajectory must be the non-empty list of (t, images) snapshots that "
            f"sample(..., keep=10) returns, got {type(trajectory).__name__}"
            + (" (empty: was keep=0?)" if isinstance(trajectory, (list, tuple)) else "")
        )
    out = []
    for i, item in enumerate(trajectory):
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise TypeError(
                f"trajectory[{i}] must be a pair (t, images), got {type(item).__name__}; pass "
                "the second value that sample() returns"
            )
        t, images = item
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)):
            raise TypeError(f"trajectory[{i}]: t must be an int step, got {t!r}")
        images = np.asarray(images, dtype=np.float32)
        if images.ndim < 2 or images.shape[0] < 1 or int(np.prod(images.shape[1:])) != 784:
            raise ValueError(
                f"trajectory[{i}]: images must be (n, 28, 28) or (n, 784), got {images.shape}"
            )
        out.append((int(t), images.reshape(-1, 28, 28)))
    if len({len(im) for _, im in out}) != 1:
        raise ValueError("every snapshot of the trajectory must hold the same number of images")
    return out


def trajectory_view(trajectory, index, n_show=8):
    """What the widget shows at slider position ``index``: ``(t, images (n_show, 28, 28))``,
    the snapshot's step (noise steps still in the images; 0 = finished) and its first images."""
    snaps = check_trajectory(trajectory)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"index must be an int, got {type(index).__name__} ({index!r})")
    if not 0 <= index < len(snaps):
        raise ValueError(f"index must be from 0 to {len(snaps) - 1} (the snapshots), got {index}")
    t, images = snaps[int(index)]
    return t, images[:n_show]


def reverse_process_widget(trajectory, n_show=8):
    """Lesson 13's "Try it": a slider over the snapshots of the reverse process (applies on
    release, and says so); the figure shows the first ``n_show`` images at that step, grey
    levels from -1 (black) to 1 (white), and the title says how many noise steps are left.

    Returns the ``ipywidgets.interactive`` (display it); ``box.view`` is the
    :class:`~nnlib.widgets.base.FigureImage`, ``box.controls`` ``{"snapshot": IntSlider}``,
    ``box.update(snapshot)`` redraws (what the slider calls) and returns the step shown.
    """
    import ipywidgets as widgets

    snaps = check_trajectory(trajectory)
    if isinstance(n_show, bool) or not isinstance(n_show, (int, np.integer)) or n_show < 1:
        raise ValueError(f"n_show must be a positive int, got {n_show!r}")
    n_show = int(min(n_show, len(snaps[0][1])))
    T = max(t for t, _ in snaps)
    view = FigureImage((1.3 * n_show + 0.4, 2.1))
    view.fig.subplots_adjust(left=0.02, right=0.98, top=0.72, bottom=0.04, wspace=0.08)
    axes = np.atleast_1d(view.fig.subplots(1, n_show))
    pictures = []
    for ax in axes:
        pictures.append(ax.imshow(np.zeros((28, 28)), cmap="gray", vmin=-1, vmax=1))
        ax.set_xticks([])
        ax.set_yticks([])
    title = view.fig.suptitle(" ")
    view.animate(*pictures, title)

    def update(snapshot=0):
        t, images = trajectory_view(snaps, snapshot, n_show)
        for picture, image in zip(pictures, images):
            picture.set_data(np.clip(image, -1, 1))
        where = "pure noise" if t == T else "the finished samples" if t == 0 else "on the way"
        title.set_text(f"Reverse process: t = {t} of {T} noise steps left ({where})")
        view.refresh(alt=f"{n_show} images at step {t} of the reverse process ({where}).")
        return t

    slider = widgets.IntSlider(0, 0, len(snaps) - 1, description="snapshot",
                               continuous_update=False)  # fmt: skip
    box = widgets.interactive(update, snapshot=slider)
    release_note(box, "The slider applies when you release it (or use the arrow keys).")
    box.children = (*box.children[:-1], view.image, box.children[-1])
    box.view, box.controls, box.update = view, {"snapshot": slider}, update
    box.add_class("nnlib-reverse-process")
    return box
