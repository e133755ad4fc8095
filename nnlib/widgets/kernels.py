"""Lesson 9's "Try it": a kernel applied to a photo (:func:`kernel_explorer`), with the maths of
:mod:`nnlib.byhand.vision`; one figure updated in place.
"""

from __future__ import annotations

import numpy as np

from ..byhand.vision import KERNELS, apply_kernel, as_array, parse_kernel
from .base import FigureImage, release_note

__all__ = ["kernel_explorer"]


def kernel_explorer(image, kernel_name="sharpen", custom="0 -1 0; -1 5 -1; 0 -1 0", kernels=None):
    """Lesson 9's "Try it": a drop-down of kernels (and "custom": nine numbers typed in a text
    box, applied on Enter or when the box loses focus, as the widget says) and the photo before
    and after :func:`apply_kernel`.  One figure, built once and updated in place (the filtered
    image's data and grey scale, the title): a few tens of ms a change instead of a new figure.

    Returns the ``ipywidgets.interactive`` (display it); its ``result`` is the filtered image
    (``None`` while the custom text is not a 3x3 kernel: the message is shown under the
    controls), ``box.view`` the :class:`~nnlib.widgets.base.FigureImage`, ``box.controls`` the dict
    ``{"kernel_name": Dropdown, "custom": Text}``, ``box.message`` the ``HTML`` for errors.
    """
    import html

    import ipywidgets as widgets

    image = as_array(image, "image", 2)
    kernels = KERNELS if kernels is None else kernels
    view = FigureImage((11, 4.4))
    fig = view.fig
    fig.subplots_adjust(left=0.07, right=0.98, top=0.92, bottom=0.12, wspace=0.2)
    axes = fig.subplots(1, 2)
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title("original")
    shown = axes[1].imshow(image, cmap="gray")
    axes[1].set_title(" ")
    for ax in axes:
        ax.set(xlabel="column (pixel)", ylabel="row (pixel)")
        ax.grid(False)
    view.animate(shown, axes[1].title)
    message = widgets.HTML().add_class("nnlib-kernel-message")

    def show(kernel_name=kernel_name, custom=custom):
        try:
            out = apply_kernel(image, kernel_name, custom, kernels)
        except ValueError as err:
            message.value = f"<b>Custom kernel not applied:</b> {html.escape(str(err))}"
            return None
        message.value = ""
        kernel = parse_kernel(custom) if kernel_name == "custom" else kernels[kernel_name]
        shown.set_data(out)
        shown.set_clim(out.min(), out.max())  # as imshow scales a new image
        axes[1].title.set_text(f"{kernel_name}: kernel sum = {np.sum(kernel):.2f}")
        view.refresh(alt=f"(right: the photo filtered with the {kernel_name} kernel).")
        return out

    dropdown = widgets.Dropdown(
        options=[*kernels, "custom"], value=kernel_name, description="kernel"
    )
    text = widgets.Text(value=custom, description="custom", continuous_update=False)
    box = widgets.interactive(show, kernel_name=dropdown, custom=text)
    release_note(box, "The custom kernel applies when you press Enter or leave the box.")
    box.children = (*box.children[:-1], message, view.image, box.children[-1])
    box.view, box.controls, box.message = view, {"kernel_name": dropdown, "custom": text}, message
    box.add_class("nnlib-kernel-explorer")
    return box
