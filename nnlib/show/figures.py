"""A text alternative for every figure the course draws, where a screen reader finds it.

JupyterLab 4.6 shows an ``image/png`` output as ``<img src="data:...">`` with no ``alt`` at all
(``renderImage`` in ``@jupyterlab/rendermime``), so a screen reader announces nothing but
"image" and axe-core reports ``image-alt``.  An HTML output, on the other hand, keeps the
``alt`` of its ``<img>``.  :func:`install` (called by ``nnlib.start_lesson()``) therefore teaches
IPython to display every matplotlib figure as

* ``text/html``: ``<img src="data:image/png;base64,..." alt="ALT">`` - what JupyterLab shows,
* ``image/png``: the same picture (nbconvert, other front ends),
* ``text/plain``: ALT (terminals, and where images are off),

rendering the PNG once.  ALT is :func:`alt_text`: the figure's titles, axis labels and legends,
plus whatever :func:`describe` attached (say what the figure *shows*, e.g. "the loss falls
from 0.7 to 0.05 in 20 epochs").

    fig, ax = plt.subplots()
    ...
    describe(fig, "Both classes separated by a straight line.")   # optional
"""

from __future__ import annotations

import html
import os
import sys

import numpy as np
from matplotlib.figure import Figure

from ..config import ipython_shell

_ATTR = "_nnlib_description"
MAX_ALT = 600  # screen readers read it all; keep it to a few sentences
# NNLIB_FIGURE_CHECK=1: every figure shown is checked for overlapping or cut-off text
# (text_problems); problems are printed to stderr as "FigureTextError: ...".
CHECK_ENV = "NNLIB_FIGURE_CHECK"


def describe(fig, text: str):
    """Attach a sentence that says what ``fig`` shows; it ends the figure's alt text.

    ``fig`` may be a Figure or an Axes (its figure is used).  Returns the figure."""
    fig = getattr(fig, "figure", fig) if not isinstance(fig, Figure) else fig
    if not isinstance(fig, Figure):
        raise TypeError(f"describe() needs a matplotlib Figure or Axes, got {type(fig).__name__}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"describe() needs a non-empty sentence, got {text!r}")
    setattr(fig, _ATTR, text.strip())
    return fig


def _clean(s: str) -> str:
    """Text as a reader would say it: no mathtext dollars or braces, single spaces."""
    s = s.replace("$", "").replace("\\", "").replace("{", "").replace("}", "")
    return " ".join(s.split())


def _legend_labels(ax) -> list[str]:
    leg = ax.get_legend()
    if leg is None:
        return []
    return [_clean(t.get_text()) for t in leg.get_texts() if t.get_text().strip()]


def alt_text(fig) -> str:
    """The text alternative of ``fig``: titles, axis labels, legend entries, description."""
    if not isinstance(fig, Figure):
        raise TypeError(f"alt_text() needs a matplotlib Figure, got {type(fig).__name__}")
    parts = []
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        parts.append(_clean(sup.get_text()) + ".")
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    panels = []
    for ax in axes:
        bits = []
        title = " ".join(
            _clean(ax.get_title(loc)) for loc in ("left", "center", "right") if ax.get_title(loc)
        )
        if title:
            bits.append(title)
        xl, yl = _clean(ax.get_xlabel()), _clean(ax.get_ylabel())
        if xl and yl:
            bits.append(f"{yl} against {xl}")
        elif xl or yl:
            bits.append(f"axis: {xl or yl}")
        legend = _legend_labels(ax)
        if legend:
            bits.append("legend: " + ", ".join(legend))
        if bits:
            panels.append("; ".join(bits))
    # Grids of small images (digit grids) repeat short titles: say how many, name a few.
    if len(panels) > 6:
        shown = ", ".join(panels[:6])
        parts.append(f"{len(axes)} panels: {shown}, ...")
    elif len(panels) > 1:
        parts.append(f"{len(panels)} panels: " + " | ".join(panels) + ".")
    elif panels:
        parts.append(panels[0] + ".")
    desc = getattr(fig, _ATTR, None)
    if desc:
        parts.append(desc)
    text = " ".join(parts) or "Figure without title or labels."
    text = "Figure: " + text
    if len(text) > MAX_ALT:
        text = text[: MAX_ALT - 3].rstrip() + "..."
    return text


def _png_base64(fig) -> str:
    from IPython.core.pylabtools import print_figure

    return print_figure(fig, fmt="png", base64=True)


def figure_mimebundle(fig, include=None, exclude=None):
    """IPython mimebundle for ``fig``: an HTML ``<img>`` with alt text, the PNG, the text."""
    if not fig.axes and not fig.texts and not fig.images:
        return {}  # an empty figure shows nothing, as IPython does
    png = _png_base64(fig)
    alt = alt_text(fig)
    img = (
        f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}" '
        'class="nnlib-figure" style="max-width: 100%; height: auto;"/>'
    )
    return {"text/html": img, "image/png": png, "text/plain": alt}


def wrap_titles(fig):
    """Let every title and the suptitle wrap onto a second line rather than run off the figure
    (large classroom fonts); constrained layout makes room for the extra line.  Axis labels:
    :func:`fit_labels`."""
    sup = getattr(fig, "_suptitle", None)
    titles = [sup] if sup is not None else []
    for ax in fig.axes:
        titles += [ax.title, ax._left_title, ax._right_title]
    for t in titles:
        if t.get_text():
            t.set_wrap(True)
    return fig


def _number(text) -> bool:
    s = text.get_text().strip().replace("\u2212", "-").replace("$", "")
    try:
        float(s)
    except ValueError:
        return s[:1].isdigit() or s[:2] in ("-0", "-1", "10")  # 1e-3, 10^{-3}, ...
    return True


def _split(text: str, lines: int) -> str:
    """``text`` broken at spaces (never inside ``$...$`` mathtext) into about ``lines`` lines of
    similar length."""
    words, math = [], False
    for part in text.split(" "):
        if words and math:
            words[-1] += " " + part  # a space inside $...$ stays
        else:
            words.append(part)
        math ^= part.count("$") % 2 == 1
    target = len(text) / lines
    out, line = [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > target * 1.15 and len(out) < lines - 1:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    return "\n".join([*out, line])


def fit_labels(fig):
    """Break an axis label longer than its axes (a long y label on a short plot, large
    classroom fonts) onto two or three lines, so it does not run into the title or the other
    axis's label; the same for the title of a panel next to others.  Draws the figure (without
    rendering) to measure."""
    import math

    panels = [a for a in fig.axes if a.get_visible() and a.get_label() != "<colorbar>"]
    for _ in range(2):  # a wrapped label changes the layout a little: measure again once
        fig.draw_without_rendering()
        renderer = fig._get_renderer()  # also for a closed pyplot figure (a bare canvas)
        changed = False
        for ax in panels:
            box = ax.get_window_extent(renderer)
            pairs = []
            if len(panels) > 1:  # side by side, a title wider than its panel meets the next
                pairs.append((ax.title, box.width))
            if ax.axison:
                pairs += [(ax.xaxis.label, box.width), (ax.yaxis.label, box.height)]
            for label, span in pairs:
                text = label.get_text()
                if not text.strip() or "\n" in text or span <= 0:
                    continue
                bb = label.get_window_extent(renderer)
                length = max(bb.width, bb.height)
                if length > span and " " in text.strip():
                    label.set_text(_split(text, min(3, math.ceil(length / span))))
                    changed = True
        if not changed:
            break
    return fig


def colour_only_classes(fig) -> list[str]:
    """Axes whose labelled scatter groups (classes) differ by colour alone, as sentences: with
    two or more groups, at least two must have different marker shapes
    (``nnlib.show.plotting.class_style``), so they read in grey and for the colour-blind too."""
    from matplotlib.collections import PathCollection

    problems = []
    for i, ax in enumerate(fig.axes):
        groups = [
            c
            for c in ax.collections
            if isinstance(c, PathCollection)
            and c.get_visible()
            and c.get_paths()
            and not str(c.get_label()).startswith("_")
        ]
        shapes = {c.get_paths()[0].vertices.round(3).tobytes() for c in groups}
        if len(groups) >= 2 and len(shapes) == 1:
            names = ", ".join(str(c.get_label()) for c in groups[:4])
            problems.append(f"axes {i}: groups {names} differ by colour only (add markers)")
    return problems


def missing_labels(fig) -> list[str]:
    """What a figure lacks to be read without the code, as sentences (empty when complete): a
    title (its own or the suptitle), and a label on every axis whose ticks show numbers (unless
    a panel sharing that axis has it).  Category tick labels, colorbars and axes drawn without
    ticks (image grids) need no axis label."""
    fig.draw_without_rendering()  # tick labels get their text when drawn
    sup = getattr(fig, "_suptitle", None)
    has_title = sup is not None and bool(sup.get_text().strip())
    problems = []
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        has_title = has_title or any(
            ax.get_title(loc).strip() for loc in ("left", "center", "right")
        )
        if not ax.axison or ax.get_label() == "<colorbar>":
            continue
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            if axis.label.get_text().strip() or not axis.get_visible():
                continue
            shared = ax.get_shared_x_axes() if name == "x" else ax.get_shared_y_axes()
            if any(
                (s.xaxis if name == "x" else s.yaxis).label.get_text().strip()
                for s in shared.get_siblings(ax)
            ):
                continue  # a shared axis labelled once (the left or bottom panel)
            numbers = [t for t in axis.get_majorticklabels() if t.get_visible() and _number(t)]
            if numbers:  # category names (a bar chart's) label themselves; numbers need a name
                problems.append(f"axes {i} has no {name} label")
    if fig.axes and not has_title:
        problems.insert(0, "the figure has no title")
    return problems


class _Hook:
    """The installed formatter; re-installs itself when the inline backend resets formats."""

    def __init__(self, shell):
        self.shell = shell

    def __call__(self, fig, include=None, exclude=None):
        # The inline backend may (re)register its PNG printer at any time (select_figure_formats):
        # drop it so the PNG is rendered once, here.
        self.shell.display_formatter.formatters["image/png"].pop(Figure, None)
        check = _checking()
        try:
            wrap_titles(fig)
            fit_labels(fig)
        except Exception as exc:  # the layout help must never cost the learner the figure
            if check:
                print(f"FigureTextError: fit_labels failed: {exc!r}", file=sys.stderr)
        if check:
            report_problems(fig)
        return figure_mimebundle(fig, include, exclude)


def _checking() -> bool:
    return os.environ.get(CHECK_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def report_problems(fig, force=False) -> list[str]:
    """With ``NNLIB_FIGURE_CHECK=1`` (or ``force``): check ``fig`` (:func:`missing_labels`,
    :func:`colour_only_classes`, :func:`text_problems`) and print one ``FigureTextError`` line
    to stderr if anything is wrong - a red line under the figure, which the tests look for.
    Widget figures (``nnlib.widgets.base.FigureImage``) call it on their first picture."""
    if not (force or _checking()):
        return []
    problems = missing_labels(fig) + colour_only_classes(fig) + text_problems(fig)
    if problems:
        title = alt_text(fig)[:80]
        print(f"FigureTextError: {title!r}: " + "; ".join(problems[:5]), file=sys.stderr)
    return problems


def install(shell=None) -> bool:
    """Display every matplotlib figure with its alt text (see the module docstring).

    Called by ``nnlib.start_lesson()``.  Outside IPython (a script, ``MPLBACKEND=Agg`` under
    pytest without a kernel) it does nothing and returns False."""
    shell = shell or ipython_shell("display_formatter")
    if shell is None:
        return False
    fmt = shell.display_formatter
    fmt.mimebundle_formatter.for_type(Figure, _Hook(shell))
    fmt.formatters["image/png"].pop(Figure, None)
    return True


# ---------------------------------------------------------------- readability (classroom style)
def _texts(fig):
    """(name, Text) for every visible, non-empty piece of text the figure draws."""
    out = []
    sup = getattr(fig, "_suptitle", None)
    if sup is not None:
        out.append(("suptitle", sup))
    out += [(f"figure text {t.get_text()!r}", t) for t in fig.texts if t is not sup]
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        tag = f"axes {i}"
        for loc in ("left", "center", "right"):
            t = getattr(
                ax, {"left": "_left_title", "center": "title", "right": "_right_title"}[loc]
            )
            out.append((f"{tag} title", t))
        if ax.axison:
            out.append((f"{tag} x label", ax.xaxis.label))
            out.append((f"{tag} y label", ax.yaxis.label))
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            if not (ax.axison and axis.get_visible()):
                continue  # ax.axis("off"): no ticks drawn
            # the labels drawn now (ticks inside the view limits), both sides; compared in the
            # axis's scale (log: a tolerance relative to the largest value would take in
            # decades below the view)
            scale = axis.get_transform()
            lo, hi = sorted(scale.transform(np.asarray(axis.get_view_interval(), float)))
            eps = 1e-9 * max(hi - lo, 1e-300)
            for minor in (False, True):
                ticks = axis.get_minor_ticks() if minor else axis.get_major_ticks()
                locs = axis.get_minorticklocs() if minor else axis.get_majorticklocs()
                for tk, loc in zip(ticks, scale.transform(np.asarray(locs, float))):
                    if lo - eps <= loc <= hi + eps:
                        for lab in (tk.label1, tk.label2):
                            out.append((f"{tag} {name} tick {lab.get_text()!r}", lab))
        leg = ax.get_legend()
        if leg is not None and leg.get_visible():
            out += [(f"{tag} legend {t.get_text()!r}", t) for t in leg.get_texts()]
            if leg.get_title().get_text():
                out.append((f"{tag} legend title", leg.get_title()))
        out += [(f"{tag} text {t.get_text()!r}", t) for t in ax.texts]
    for leg in fig.legends:
        out += [(f"figure legend {t.get_text()!r}", t) for t in leg.get_texts()]
    return [(n, t) for n, t in out if t.get_visible() and t.get_text().strip()]


def text_problems(fig, tolerance: float = 1.0) -> list[str]:
    """Pieces of text that overlap each other or stick out of the figure, as sentences; an empty
    list for a readable figure.  Draws the figure once (text positions need a renderer)."""
    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):  # a bare Figure() (no pyplot): draw with Agg
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    W, H = fig.bbox.width, fig.bbox.height
    boxes = []
    for name, t in _texts(fig):
        try:
            bb = t.get_window_extent(renderer)
        except (RuntimeError, ValueError):  # pragma: no cover - text without a position
            continue
        if bb.width <= 0 or bb.height <= 0:
            continue
        boxes.append(
            (name, bb.x0 + tolerance, bb.y0 + tolerance, bb.x1 - tolerance, bb.y1 - tolerance)
        )
    problems = []
    for name, x0, y0, x1, y1 in boxes:
        if x0 < -tolerance or y0 < -tolerance or x1 > W + tolerance or y1 > H + tolerance:
            problems.append(f"{name} is cut off at the edge of the figure")
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                problems.append(f"{a[0]} overlaps {b[0]}")
    return problems
