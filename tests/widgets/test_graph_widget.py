"""Lesson 05's computational-graph widget (section 2): the learner sets x, w, b *and* the target
y, and the numbers the graph shows stay right - checked against finite differences of
L = (sigmoid(w x + b) - y)^2, computed here independently of the lesson."""

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import jupytext  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def loss(x, w, b, y):
    return (1 / (1 + np.exp(-(w * x + b))) - y) ** 2


@pytest.fixture(scope="module")
def graph_widget():
    """The lesson's widget, built by running lesson 05 up to and including its cell."""
    cells = [c.source for c in jupytext.read(ROOT / "lessons" / "05_backpropagation.py").cells
             if c.cell_type == "code"]  # fmt: skip
    last = next(i for i, c in enumerate(cells) if "graph_widget = widgets.interactive(" in c)
    ns = {}
    for source in cells[: last + 1]:
        exec(compile(source, "<lesson 05>", "exec"), ns)
        plt.close("all")
    yield ns["graph_widget"]
    plt.close("all")


def sliders(widget):
    return {s.description: s for s in widget.kwargs_widgets}


def shown(widget, **values):
    """Set the sliders (as a learner would) and read the graph the widget drew."""
    plt.close("all")
    by_name = sliders(widget)
    names = {"x": "input x", "w": "weight w", "b": "bias b", "y": "target y"}
    for key, value in values.items():
        by_name[names[key]].value = value
    assert plt.get_fignums(), "the widget drew no figure"
    ax = plt.gcf().axes[0]
    texts = {(round(t.get_position()[0], 2), round(t.get_position()[1], 2)): t.get_text()
             for t in ax.texts}  # fmt: skip
    return ax.get_title(), texts


def number(text):
    return float(re.sub(r"^∂L=", "", text))


def test_the_widget_has_a_target_slider_from_0_to_1_starting_at_1(graph_widget):
    y = sliders(graph_widget)["target y"]
    assert (y.min, y.max, y.value) == (0.0, 1.0, 1.0)
    assert y.continuous_update is False
    assert set(sliders(graph_widget)) == {"input x", "weight w", "bias b", "target y"}


@pytest.mark.parametrize(
    "x, w, b, y",
    [(2.0, -0.5, 0.5, 0.0), (2.0, -4.0, 0.0, 0.0), (2.0, 4.0, 0.0, 0.0), (-1.5, 1.2, -0.3, 0.3),
     (2.0, -4.0, 0.0, 1.0), (1.0, 0.0, 0.0, 0.5)],
)  # fmt: skip
def test_the_gradients_shown_follow_y(graph_widget, x, w, b, y):
    title, texts = shown(graph_widget, x=x, w=w, b=b, y=y)
    assert f"target y = {y:g}" in title
    h = 1e-6
    expected = {
        (0.0, 1.3 - 0.36): (loss(x, w + h, b, y) - loss(x, w - h, b, y)) / (2 * h),  # dL/dw
        (0.0, 0.0 - 0.36): (loss(x, w, b + h, y) - loss(x, w, b - h, y)) / (2 * h),  # dL/db
        (0.0, 2.6 - 0.36): (loss(x + h, w, b, y) - loss(x - h, w, b, y)) / (2 * h),  # dL/dx
        (5.1, 1.3 + 0.36): loss(x, w, b, y),  # the loss itself (a value, in blue)
    }
    for position, value in expected.items():
        text = texts[(round(position[0], 2), round(position[1], 2))]
        # three significant digits are shown
        assert number(text) == pytest.approx(value, rel=6e-3, abs=1e-9), (position, text, value)


def test_moving_y_alone_changes_the_gradient(graph_widget):
    _, at_1 = shown(graph_widget, x=2.0, w=-4.0, b=0.0, y=1.0)
    _, at_0 = shown(graph_widget, y=0.0)
    dw_1, dw_0 = number(at_1[(0.0, 0.94)]), number(at_0[(0.0, 0.94)])
    assert dw_1 < 0 < dw_0  # a too-small output pushes w up; a right one (y = 0) barely moves it
    assert abs(dw_0) < abs(dw_1) / 100
