"""Lesson 13's latent-plane "Try it": two sliders choose a point (z1, z2) of a 2-D code space;
the figure shows where the point sits among the encoded test digits (left) and what the decoder
makes of it (right), in one figure redrawn in place (:class:`~nnlib.widgets.base.FigureImage`).

* :func:`digit_style` - a colour AND a marker shape for each of the ten digit classes (Okabe-Ito
  has 8 colours; the 10 shapes keep every class apart, in grey too);
* :func:`decode_point` - the decoded image at one point, as a plain array (what the widget shows);
* :func:`latent_explorer` - the widget.
"""

from __future__ import annotations

import numpy as np

from ..show.plotting import OKABE_ITO
from .base import FigureImage, check_number, release_note

__all__ = ["DIGIT_MARKERS", "digit_style", "decode_point", "latent_explorer"]

DIGIT_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]


def digit_style(c):
    """Colour and marker of digit class ``c`` (0-9): ``ax.scatter(..., **digit_style(c))``.
    Classes 8 and 9 reuse the colours of 0 and 1 with their own shapes."""
    if isinstance(c, bool) or not isinstance(c, (int, np.integer)) or not 0 <= c <= 9:
        raise ValueError(f"c must be a digit class, an int from 0 to 9, got {c!r}")
    return {"color": OKABE_ITO[int(c) % len(OKABE_ITO)], "marker": DIGIT_MARKERS[int(c)]}


def _check_decode(decode):
    if not callable(decode):
        raise TypeError(
            f"decode must be a function (or a Keras model) from codes (n, 2) to images, got "
            f"{type(decode).__name__}; pass e.g. vae.decoder"
        )


def decode_point(decode, z1, z2):
    """The image (28, 28) that ``decode`` (codes (n, 2) -> images (n, 784) or (n, 28, 28), a
    function or a Keras model) makes of the point (z1, z2)."""
    _check_decode(decode)
    z = np.array([[check_number(z1, "z1"), check_number(z2, "z2")]], dtype=np.float32)
    out = np.asarray(decode(z), dtype=np.float64)
    if out.size != 784:
        raise ValueError(
            f"decode should turn one code into one 28 x 28 image (784 pixels), got an output of "
            f"shape {out.shape}; pass the decoder (codes -> images), not the whole model"
        )
    return out.reshape(28, 28)


def latent_explorer(decode, codes=None, labels=None, extent=3.0, step=0.25, z=(0.0, 0.0)):
    """Sliders for a point (z1, z2) in [-extent, extent]^2 of a 2-D code space.  ``decode`` maps
    codes (n, 2) to images; ``codes`` (n, 2) and ``labels`` (n,), optional, are drawn as the
    background (encoded test digits, one colour and shape per class).

    Returns an ``ipywidgets.VBox``; ``box.view`` is the :class:`FigureImage`, ``box.controls``
    ``{"z1", "z2"}``, ``box.update(z1, z2)`` redraws (what the sliders call) and returns the
    decoded image."""
    import ipywidgets as widgets

    _check_decode(decode)
    extent = check_number(extent, "extent")
    if extent <= 0:
        raise ValueError(
            f"extent must be > 0 (the sliders go from -extent to extent), got {extent}"
        )
    if codes is not None:
        codes = np.asarray(codes, dtype=np.float64)
        if codes.ndim != 2 or codes.shape[1] != 2:
            raise ValueError(f"codes must be (n, 2): one 2-D code per digit, got {codes.shape}")
        labels = np.zeros(len(codes), int) if labels is None else np.asarray(labels).astype(int)
        if labels.shape != (len(codes),):
            raise ValueError(
                f"labels must be one class per code ({len(codes)}), got {labels.shape}"
            )

    view = FigureImage((8.4, 4.2))
    view.fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.14, wspace=0.3)
    plane = view.fig.add_subplot(1, 2, 1)
    digit_ax = view.fig.add_subplot(1, 2, 2)
    if codes is not None:
        for c in np.unique(labels):
            sel = labels == c
            plane.scatter(codes[sel, 0], codes[sel, 1], s=9, alpha=0.6, label=str(c),
                          **digit_style(int(c)))  # fmt: skip
        plane.legend(title="digit", fontsize="x-small", title_fontsize="x-small", ncol=2,
                     loc="upper left", bbox_to_anchor=(1.0, 1.0), markerscale=1.5)  # fmt: skip
        view.fig.subplots_adjust(wspace=0.55)
    plane.set(xlim=(-extent, extent), ylim=(-extent, extent), xlabel="$z_1$", ylabel="$z_2$",
              title="The code plane")  # fmt: skip
    (point,) = plane.plot([z[0]], [z[1]], marker="+", markersize=22, markeredgewidth=3,
                          color="black", linestyle="none")  # fmt: skip
    shown = digit_ax.imshow(np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1)
    digit_ax.set_xticks([])
    digit_ax.set_yticks([])
    digit_ax.grid(False)
    digit_ax.set_title(" ")
    view.animate(point, shown, digit_ax.title)

    def update(z1=z[0], z2=z[1]):
        image = decode_point(decode, z1, z2)
        point.set_data([z1], [z2])
        shown.set_data(image)
        digit_ax.title.set_text(f"decoded at ({z1:.2f}, {z2:.2f})")
        view.refresh(alt=f"The decoder's image at the point ({z1:.2f}, {z2:.2f}) of the plane.")
        return image

    z1_slider = widgets.FloatSlider(value=z[0], min=-extent, max=extent, step=step,
                                    description="z1", continuous_update=False)  # fmt: skip
    z2_slider = widgets.FloatSlider(value=z[1], min=-extent, max=extent, step=step,
                                    description="z2", continuous_update=False)  # fmt: skip
    box = widgets.interactive(update, z1=z1_slider, z2=z2_slider)
    release_note(box)
    out = widgets.VBox([box, view.image]).add_class("nnlib-latent-explorer")
    out.view, out.update = view, update
    out.controls = {"z1": z1_slider, "z2": z2_slider}
    return out
