"""nnlib.widgets (lessons 01-02: neuron, activations; the base): the plain functions behind the
widgets, and the widgets themselves, headless."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import data  # noqa: E402
from nnlib import widgets as W  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


X4 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def test_neuron_predict_is_a_step_of_the_weighted_sum():
    # x1 + x2 - 1.5 >= 0 only at (1, 1): AND
    assert W.neuron_predict(X4, 1.0, 1.0, -1.5).tolist() == [0, 0, 0, 1]
    # z = 0 exactly counts as class 1
    assert W.neuron_predict(np.array([[1.0, 0.0]]), 1.0, 0.0, -1.0).tolist() == [1]


def test_neuron_accuracy_values():
    y_and = np.array([0, 0, 0, 1])
    assert W.neuron_accuracy(X4, y_and, 1.0, 1.0, -1.5) == 1.0
    assert W.neuron_accuracy(X4, y_and, -1.0, -1.0, 1.5) == 0.0  # NAND: all wrong
    assert W.neuron_accuracy(X4, y_and, 0.0, 0.0, -1.0) == 0.75  # always 0


def test_accuracy_changes_with_the_weights_on_blobs():
    X, y = data.make_blobs(n_samples=200, seed=0)
    good = W.neuron_accuracy(X, y, 1.0, 1.0, 0.0)
    bad = W.neuron_accuracy(X, y, 1.0, -1.0, 0.0)
    assert good > 0.95 and bad < 0.7
    assert W.neuron_accuracy(X, y, -1.0, -1.0, 0.0) == pytest.approx(1 - good)


def test_accuracy_text():
    assert W.accuracy_text(0.875) == "accuracy: 87.5 %"
    assert W.accuracy_text(1) == "accuracy: 100.0 %"
    with pytest.raises(ValueError, match="between 0 and 1"):
        W.accuracy_text(87.5)
    with pytest.raises(TypeError, match="must be a number"):
        W.accuracy_text("87.5")


def test_bad_input_names_expected_and_given():
    with pytest.raises(ValueError, match=r"shape \(n, 2\), got \(4, 3\)"):
        W.neuron_predict(np.zeros((4, 3)), 1, 1, 0)
    with pytest.raises(ValueError, match="same length, got 4 and 3"):
        W.neuron_accuracy(X4, [0, 1, 1], 1, 1, 0)
    with pytest.raises(TypeError, match="w1 must be a number, got str"):
        W.neuron_predict(X4, "1", 1, 0)


def test_plot_neuron_draws_line_title_and_labels():
    ax = W.plot_neuron(X4, np.array([0, 0, 0, 1]), 1.0, 1.0, -1.5)
    assert "accuracy: 100.0 %" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    (line,) = [ln for ln in ax.lines if ln.get_label() == "decision line"]
    xs, ys = line.get_data()
    assert np.allclose(xs + ys, 1.5)  # the line x1 + x2 = 1.5
    # vertical line (w2 = 0) and w = 0 do not crash
    W.plot_neuron(X4, np.array([0, 0, 1, 1]), 1.0, 0.0, -0.5)
    W.plot_neuron(X4, np.array([0, 0, 1, 1]), 0.0, 0.0, 0.5)


def test_neuron_widget_label_follows_the_sliders():
    X, y = data.make_blobs(n_samples=200, seed=0)
    box = W.neuron_widget(X, y, w1=1.0, w2=-1.0, b=0.0)
    assert "nnlib-neuron-widget" in box._dom_classes
    assert "nnlib-accuracy" in box.accuracy_label._dom_classes
    assert box.accuracy_label.value == W.accuracy_text(W.neuron_accuracy(X, y, 1.0, -1.0, 0.0))
    before = box.accuracy_label.value
    box.sliders["w2"].value = 1.0
    after = box.accuracy_label.value
    assert after != before
    assert after == W.accuracy_text(W.neuron_accuracy(X, y, 1.0, 1.0, 0.0))
    assert set(box.sliders) == {"w1", "w2", "b"}
    assert plt.get_fignums() == []  # redraws close their figures


def test_neuron_widget_rejects_bad_start_values():
    with pytest.raises(ValueError, match="between -3.0 and 3.0, got 5.0"):
        W.neuron_widget(X4, [0, 0, 0, 1], w1=5.0)


def test_activation_curves_match_nnlib_and_ranges():
    z = np.linspace(-6, 6, 121)
    curves = W.activation_curves(["sigmoid", "tanh", "relu", "step", "leaky_relu"], z)
    s, ds = curves["sigmoid"]
    assert np.all((s > 0) & (s < 1)) and ds.max() == pytest.approx(0.25)
    t, dt = curves["tanh"]
    assert np.all(np.abs(t) < 1) and dt.max() == pytest.approx(1.0)
    r, dr = curves["relu"]
    assert r.min() == 0 and set(np.unique(dr)) <= {0.0, 1.0}
    lr, dlr = curves["leaky_relu"]
    assert lr[0] == pytest.approx(-0.6) and dlr[0] == pytest.approx(0.1)
    st, dst = curves["step"]
    assert set(np.unique(st)) == {0.0, 1.0} and np.all(dst == 0)


def test_activation_curves_bad_input():
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        W.activation_curves(["softmax"], np.zeros(3))
    with pytest.raises(ValueError, match=r"1-D, got shape \(2, 2\)"):
        W.activation_curves("relu", np.zeros((2, 2)))
    with pytest.raises(TypeError, match="list of names"):
        W.activation_curves(3, np.zeros(3))


def test_plot_activations_and_explorer():
    axes = W.plot_activations(["sigmoid", "relu"], -3, 3)
    assert len(axes[0].lines) >= 2 and axes[1].get_ylabel() == "f'(z)"
    with pytest.raises(ValueError, match="z_min must be smaller"):
        W.plot_activations(["relu"], 2, 1)
    plt.close("all")
    box = W.activation_explorer(names=("sigmoid",))
    assert "nnlib-activation-explorer" in box._dom_classes
    assert box.checkboxes["sigmoid"].value and not box.checkboxes["relu"].value
    box.checkboxes["relu"].value = True  # redraw must not raise
    box.z_range.value = (-2.0, 2.0)
    assert plt.get_fignums() == []


def test_neuron_widget_redraws_one_figure_in_place():
    X, y = data.make_blobs(n_samples=200, seed=0)
    box = W.neuron_widget(X, y, w1=1.0, w2=-1.0, b=0.0)
    first = bytes(box.output.value)
    assert first.startswith(b"\x89PNG") and "≥ 0 → class 1" in box.output.tooltip
    box.sliders["b"].value = 1.0
    assert bytes(box.output.value) != first  # a new picture ...
    assert "+1.00 ≥ 0" in box.output.tooltip  # ... of the new weights, said in text too
    box.sliders["w1"].value, box.sliders["w2"].value = 0.0, 0.0
    assert "no line" not in box.accuracy_label.value  # w = 0 draws "no line", no crash


def test_neuron_geometry_matches_the_line_and_arrow():
    line, arrow = W.neuron_geometry(1.0, 1.0, -1.5, (-1, 3, -1, 3))
    xs, ys = line
    assert np.allclose(xs + ys, 1.5)
    start, end = arrow
    assert np.allclose(start, [0.75, 0.75]) and np.all(end > start)  # points towards class 1
    assert W.neuron_geometry(0.0, 0.0, 1.0, (-1, 1, -1, 1)) == (None, None)
    assert W.neuron_geometry(1.0, 0.0, -10.0, (-1, 1, -1, 1))[1] is None  # start off screen


def test_figure_image_blits_only_the_animated_artists():
    view = W.FigureImage((3, 2), dpi=50)
    ax = view.fig.add_subplot()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    (line,) = ax.plot([0, 1], [0, 0])
    view.animate(line)
    a = view.png()
    line.set_ydata([1, 1])
    b = view.png()
    assert a.startswith(b"\x89PNG") and a != b and view.png() == b
    view.refresh(alt="a line")
    assert bytes(view.image.value) == b and view.image.tooltip.endswith(" a line")
    assert view.image.layout.width == "150px"


def test_release_note_says_so_on_the_widget():
    import ipywidgets as widgets

    inter = widgets.interactive(lambda k=1.0: k, k=widgets.FloatSlider(continuous_update=False))
    out = inter.children[-1]
    W.release_note(inter)
    assert "nnlib-release-note" in inter.children[-2]._dom_classes
    assert inter.children[-1] is out and "release" in inter.children[-2].value
    box = W.release_note(widgets.VBox([]), "Applies on release.")
    assert box.children[0].value == "<small>Applies on release.</small>"


def test_explorer_shows_the_ticked_curves_on_the_chosen_range():
    box = W.activation_explorer(names=("sigmoid", "relu"), z_range=(-4.0, 4.0))
    ax_f, ax_d = box.axes
    shown = {ln.get_label() for ln in ax_f.lines if ln.get_visible() and ln.get_label()[0] != "_"}
    assert shown == {"sigmoid", "relu"}
    assert [t.get_text() for t in ax_f.get_legend().get_texts()] == ["sigmoid", "relu"]
    box.checkboxes["relu"].value = False
    box.z_range.value = (-2.0, 2.0)
    shown = {ln.get_label() for ln in ax_d.lines if ln.get_visible() and ln.get_label()[0] != "_"}
    assert shown == {"sigmoid"} and ax_f.get_xlim() == (-2.0, 2.0)
    assert ax_f.get_ylim()[0] < 0.1 < 0.9 < ax_f.get_ylim()[1]  # zoomed to the sigmoid
    assert "sigmoid" in box.output.tooltip and "relu" not in box.output.tooltip


def test_image_widget_syncs_an_empty_description_so_the_tooltip_becomes_the_title():
    img = W.image_widget(100, 50)
    state = img.get_state()
    assert state["description"] == "" and state["_model_name"] == "ImageModel"
    assert img.layout.width == "100px" and type(img) is type(W.image_widget(1, 1))
