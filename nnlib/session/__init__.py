"""What ``nnlib.start_lesson()`` sets up in a learner's kernel, once, at the top of every lesson:

* :mod:`~nnlib.session.memory`   one line when the other kernels leave too little memory;
* the seeds (:func:`nnlib.config.seed_everything`) and the plot style
  (:func:`nnlib.show.plotting.use_style`);
* alt text on every figure (:func:`nnlib.show.figures.install`);
* :mod:`~nnlib.session.skipped`  a ``NameError`` from a skipped cell names the section to run;
* :mod:`~nnlib.session.placeholders`  an untouched answer cell (``...``) shows no ``Ellipsis``;
* in quick mode, a one-line banner.

:mod:`~nnlib.session.env` is the welcome lesson's environment report.
"""

from __future__ import annotations

import os

from ..config import is_quick, seed_everything
from ..show import figures
from ..show.plotting import use_style
from . import memory, placeholders, skipped

__all__ = ["start_lesson", "QUICK_BANNER"]

QUICK_BANNER = (
    "QUICK MODE (NNLIB_QUICK=1): cells with a quick setting use less data and fewer epochs, so "
    "their numbers differ from the full lesson. Unset NNLIB_QUICK for the real thing."
)


def start_lesson(seed: int = 0, *, style: str | None = None, keras: bool | None = None) -> None:
    """Call once at the top of every lesson: seeds everything, sets the plot style and, in quick
    mode, prints a one-line banner saying so.

    ``style`` is ``"default"`` or ``"classroom"`` (large fonts for projectors); when not given,
    the environment variable ``NNLIB_STYLE`` decides, else ``"default"``.
    """
    memory.warn_if_tight()  # one line when other kernels crowd memory
    seed_everything(seed, keras=keras)
    use_style(style or os.environ.get("NNLIB_STYLE", "default"))
    figures.install()  # alt text on every figure
    skipped.install()  # NameError: which section defines the name
    placeholders.install()  # an untouched answer cell shows nothing, not `Ellipsis`
    if is_quick():
        print(QUICK_BANNER)
