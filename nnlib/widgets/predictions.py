"""Lesson 7's "Try it": browse a model's predictions on the test digits, or only its mistakes
(:func:`prediction_browser`): :func:`nnlib.show.predictions.plot_prediction`'s picture as one
figure updated in place; :func:`browse_index` is the test index it shows.
"""

from __future__ import annotations

import numpy as np

from ..show.plotting import CORRECT_COLOR, MISTAKE_COLOR, OKABE_ITO
from ..show.predictions import as_image, prediction_axes
from .base import FigureImage, release_note

__all__ = ["browse_index", "prediction_browser"]


def browse_index(y_true, y_pred, index=0, only_mistakes=False):
    """The test index the prediction browser shows for slider value ``index``: ``index`` itself,
    or with ``only_mistakes`` the ``index``-th mistake (``y_pred != y_true``; it wraps around,
    so any slider value shows a mistake).  With no mistake at all it browses every image."""
    y_true = np.asarray(y_true).reshape(-1)
    y_pred = np.asarray(y_pred).reshape(-1)
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(
            f"y_true and y_pred must be non-empty and of the same length, got {y_true.shape} "
            f"and {y_pred.shape}"
        )
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"index must be an int, got {type(index).__name__} ({index!r})")
    mistakes = np.flatnonzero(y_pred != y_true)
    pool = mistakes if only_mistakes and mistakes.size else np.arange(y_true.size)
    return int(pool[int(index) % pool.size])


class _LivePrediction:
    """:func:`~nnlib.show.predictions.plot_prediction`'s picture in one :class:`~nnlib.widgets.base.FigureImage`, updated in
    place: the image (``set_data``), the bars (heights, colours, hatch) and the two titles."""

    def __init__(self, first_image, k, names):
        self.names, self.k = names, k
        self.view = FigureImage((8, 3.2))
        fig = self.view.fig
        fig.subplots_adjust(left=0.04, right=0.98, top=0.86, bottom=0.2, wspace=0.25)
        ax_img, ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2]})
        self.image = ax_img.imshow(as_image(first_image), cmap="gray_r")
        prediction_axes(ax_img, ax_bar, names)
        ax_img.set_title(" ")
        self.bars = list(ax_bar.bar(range(k), np.zeros(k), color=OKABE_ITO[0]))
        ax_bar.set_title(" ")
        self.axes = (ax_img, ax_bar)
        self.view.animate(self.image, *self.bars, ax_img.title, ax_bar.title)

    def update(self, image, p, label):
        img = as_image(image)
        self.image.set_data(img)
        self.image.set_clim(img.min(), img.max())  # as imshow scales a new image
        pred = int(p.argmax())
        wrong = label is not None and pred != int(label)
        for c, (rect, value) in enumerate(zip(self.bars, p)):
            rect.set_height(value)
            color = OKABE_ITO[0]
            if c == pred:
                color = OKABE_ITO[1] if label is None else MISTAKE_COLOR if wrong else CORRECT_COLOR
            rect.set_facecolor(color)
            rect.set_hatch("//" if c == pred and wrong else None)  # a mistake reads in grey too
        ax_img, ax_bar = self.axes
        truth = f", true: {self.names[int(label)]}" if label is not None else ""
        ax_img.title.set_text(f"predicted: {self.names[pred]}{truth}")
        ax_bar.title.set_text(f"Softmax output (max {p[pred]:.2f})")
        return pred


def prediction_browser(images, probabilities, labels=None, class_names=None, index=0):
    """Lesson 7's "Try it": pick a test image with a slider (applies on release, and says so)
    and tick **only mistakes** to browse the errors; shows :func:`~nnlib.show.predictions.plot_prediction`'s picture
    (the image, the softmax bars, the predicted class green when right, vermillion and hatched
    when wrong) as one figure updated in place (~20-40 ms a change, not a new figure).

    ``images`` (n, 28, 28) or (n, 784), ``probabilities`` (n, k) softmax outputs, ``labels``
    (n,) true classes (``None``: no mistakes to browse).  Returns the ``ipywidgets.interactive``
    (display it); its ``result`` is the predicted class shown, ``box.shown_index()`` the test
    index shown (:func:`browse_index`), ``box.view`` the :class:`~nnlib.widgets.base.FigureImage`, and
    ``box.controls`` the dict ``{"index": IntSlider, "only_mistakes": Checkbox}``.
    """
    import ipywidgets as widgets

    images = np.asarray(images)
    p_all = np.asarray(probabilities, dtype=np.float64)
    if p_all.ndim != 2 or p_all.shape[1] < 2 or len(p_all) != len(images) or not len(images):
        raise ValueError(
            f"probabilities must have shape (n, classes) with one row per image, got "
            f"{p_all.shape} for {len(images)} images"
        )
    n, k = p_all.shape
    y_pred = p_all.argmax(axis=1)
    y_true = y_pred if labels is None else np.asarray(labels).reshape(-1)
    if len(y_true) != n:
        raise ValueError(f"got {n} images but {len(y_true)} labels")
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    if len(names) != k:
        raise ValueError(f"got {k} probabilities per image but {len(names)} class names")
    live = _LivePrediction(images[0], k, names)
    shown = {"index": None}  # the interactive calls show() while it is being built

    def show(index=0, only_mistakes=False):
        i = browse_index(y_true, y_pred, index, only_mistakes)
        shown["index"] = i
        label = None if labels is None else y_true[i]
        pred = live.update(images[i], p_all[i], label)
        live.view.refresh(alt=f"(test image {i}).")
        return pred

    slider = widgets.IntSlider(index, 0, n - 1, description="test digit", continuous_update=False)
    tick = widgets.Checkbox(False, description="only mistakes")
    box = widgets.interactive(show, index=slider, only_mistakes=tick)
    release_note(box, "The slider applies when you release it (or use the arrow keys).")
    box.children = (*box.children[:-1], live.view.image, box.children[-1])
    box.view, box.controls = live.view, {"index": slider, "only_mistakes": tick}
    box.shown_index = lambda: shown["index"]
    box.add_class("nnlib-prediction-browser")
    return box
