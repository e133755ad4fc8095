"""Figures read on a projector (issue 13, item 2): every lesson run in classroom style
(``NNLIB_STYLE=classroom``, large fonts) shows no figure whose titles, axis labels, tick labels,
legends or texts overlap or are cut off, none without a title or an axis label, none that tells
classes apart by colour alone, and none without a text alternative (issue 13, item 3).

How: tools/check_figures.py runs the lesson in a fresh kernel with inline figures and
``NNLIB_FIGURE_CHECK=1``; nnlib.show.figures then checks each figure as it is displayed (text
bounding boxes measured by matplotlib's renderer: ``missing_labels``, ``colour_only_classes``,
``text_problems``) and prints a ``FigureTextError`` line for any problem; the test fails on any
stderr line and on any figure whose HTML has no ``alt``.  This checks every figure of every lesson
- also those a learner only sees after scrolling - with the exact boxes a browser would show,
which a person looking at a browser does not; tests/browser/test_browser_a11y.py runs the same check in
a real JupyterLab (axe-core) for lessons 01, 06 and 09 and keeps screenshots in build/browser/.

Time (measured on the 2-core machine with a load of about 2.5): all 13 lessons take 152 s (08, 11
and 12 about 25-30 s each; 00-06 together 33 s), more than ``make test`` can hold within its
2.5 minutes, so the lessons are marked ``figures`` (``make test-figures``: ``pytest -m figures``, part of
``make test-full``, which CI runs).  The widget figures (drawn into ``ipywidgets.Image``, outside
the display hook) are checked below in both styles, with every slider at its ends, in ``make
test`` as well.

To see the figures: ``python tools/check_figures.py --save build/figures notebooks/NN_x.ipynb``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import widget_figure_problems

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.figures
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_figures_read_in_classroom_style(path):
    from check_figures import check_lesson

    n, problems, seconds = check_lesson(path)
    print(f"{path.name}: {n} figures in {seconds:.0f} s")
    assert n > 0, f"{path.name} showed no figure: is the display hook installed?"
    assert not problems, (
        f"{path.name}: {len(problems)} figure problem(s) in classroom style:\n"
        + "\n".join(p[:400] for p in problems)
        + f"\nSee them: python tools/check_figures.py --save build/figures notebooks/{path.name}"
    )


@pytest.mark.parametrize("style", ["classroom", "default"])
def test_widget_figures_read_in_both_styles(style, monkeypatch):
    from nnlib import data, widgets
    from nnlib.show.plotting import use_style

    use_style(style)
    try:
        X, y = data.make_blobs(n_samples=60, seed=0)
        X4 = [[0, 0], [0, 1], [1, 0], [1, 1]]
        builders = {
            "neuron_widget": lambda: widgets.neuron_widget(X, y),
            "activation_explorer": lambda: widgets.activation_explorer(
                names=("sigmoid", "tanh", "relu"), z_range=(-6.0, 6.0)
            ),
            "perceptron_stepper": lambda: widgets.perceptron_stepper(X4, [0, 0, 0, 1]),
            "Playground": lambda: widgets.Playground(dataset="spirals", hidden=(16, 16)).widget,
        }
        bad = {}
        for name, build in builders.items():
            problems = widget_figure_problems(monkeypatch, build)
            if problems:
                bad[name] = problems[:6]
        assert not bad, f"widget figures in {style} style: {bad}"
    finally:
        use_style("default")
