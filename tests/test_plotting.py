"""nnlib.plotting: each plot draws what it claims, in the course palette, and rejects bad input."""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from nnlib import nn, plotting
from nnlib.data import make_blobs


def test_styles():
    plotting.use_style("classroom")
    assert mpl.rcParams["font.size"] >= 16 and mpl.rcParams["lines.linewidth"] >= 3
    plotting.use_style("default")
    cycle = [to_hex(c).upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle[:3] == [c.upper() for c in plotting.OKABE_ITO[:3]]
    with pytest.raises(ValueError, match="classroom"):
        plotting.use_style("dark")


def test_decision_boundary_follows_the_predict_function():
    X, y = make_blobs(100, std=0.3)
    ax = plotting.plot_decision_boundary(lambda P: (P.sum(axis=1) > 0).astype(int), X, y)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.collections) >= 2  # filled regions + scatter per class
    # probabilities (m, 1), scores (m, k) and labels are all accepted
    plotting.plot_decision_boundary(lambda P: 1 / (1 + np.exp(-P[:, :1])), X, y)
    plotting.plot_decision_boundary(lambda P: np.c_[P[:, 0], -P[:, 0]], X, y)


def test_decision_boundary_bad_input():
    X, y = make_blobs(10)
    with pytest.raises(ValueError, match="10 and 9"):
        plotting.plot_decision_boundary(lambda P: P[:, 0] > 0, X, y[:9])
    with pytest.raises(ValueError, match=r"\(10, 3\)"):
        plotting.plot_decision_boundary(lambda P: P[:, 0] > 0, np.zeros((10, 3)), y)
    with pytest.raises(TypeError, match="function"):
        plotting.plot_decision_boundary("model", X, y)


def test_history_from_dict_and_nnlib_model():
    axes = plotting.plot_history(
        {"loss": [3, 2, 1], "val_loss": [3, 2.5, 2], "accuracy": [0.1, 0.5, 0.9]}
    )
    assert len(axes) == 2
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 1
    np.testing.assert_array_equal(axes[0].lines[0].get_ydata(), [3, 2, 1])
    model = nn.Sequential([nn.Dense(2, input_dim=2, activation="softmax")], seed=0)
    model.compile(
        loss="sparse_categorical_crossentropy", optimizer=nn.SGD(0.1), metrics=["accuracy"]
    )
    X, y = make_blobs(40)
    hist = model.fit(X, y, epochs=3, verbose=0)
    assert len(plotting.plot_history(hist)[0].lines[0].get_ydata()) == 3
    with pytest.raises(TypeError, match="history"):
        plotting.plot_history([1, 2])
    with pytest.raises(ValueError, match="'loss'"):
        plotting.plot_history({"acc": [1]})


def test_image_grid_marks_mistakes():
    images = np.random.default_rng(0).integers(0, 255, (6, 28, 28))
    fig = plotting.plot_image_grid(
        images, [1, 2, 3, 4, 5, 6], predictions=[1, 2, 0, 4, 5, 0], ncols=3
    )
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["1", "2", "0 (3)", "4", "5", "0 (6)"]
    colors = [to_hex(ax.title.get_color()).upper() for ax in fig.axes]
    assert colors[2] == plotting.MISTAKE_COLOR and colors[0] == plotting.CORRECT_COLOR
    # flat images and (n, h, w, 1) are accepted
    plotting.plot_image_grid(images.reshape(6, -1), np.arange(6))
    plotting.plot_image_grid(images[..., None], np.arange(6))
    with pytest.raises(ValueError, match="6 images but 5 labels"):
        plotting.plot_image_grid(images, np.arange(5))
    with pytest.raises(ValueError, match="square number"):
        plotting.plot_image_grid(np.zeros((2, 10)), [0, 1])


def test_confusion_matrix_plot_shows_counts():
    ax = plotting.plot_confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["1", "1", "1", "2"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    plt.close("all")
    ax = plotting.plot_confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], normalize=True)
    assert [t.get_text() for t in ax.texts] == ["0.50", "0.50", "0.00", "1.00"]


# ---------------------------------------------------------------- classroom style, alt text
def test_classes_differ_by_marker_as_well_as_colour():
    X, y = make_blobs(60, std=0.3)
    ax = plotting.plot_decision_boundary(lambda P: (P.sum(axis=1) > 0).astype(int), X, y)
    scatters = [c for c in ax.collections if c.get_label().startswith("class")]
    paths = [c.get_paths()[0].vertices.round(3).tobytes() for c in scatters]
    assert len(scatters) == 2 and paths[0] != paths[1], "both classes drawn with the same marker"
    plt.close("all")


def test_classroom_style_uses_constrained_layout_and_readable_log_ticks():
    try:
        plotting.use_style("classroom")
        fig, ax = plt.subplots()
        assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"
        ax.semilogy([1, 2, 3], [1e-3, 0.6, 30])
        fig.canvas.draw()
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert "0.001" in labels and "10" in labels, labels
        assert not any("times" in t or "^" in t for t in labels), labels  # no 6×10⁻¹ mathtext
        plt.close(fig)
    finally:
        plotting.use_style("default")


def test_text_problems_finds_overlapping_titles_and_passes_a_readable_figure():
    from nnlib import figures

    try:
        plotting.use_style("classroom")
        fig, axes = plt.subplots(1, 2, figsize=(8, 3))
        axes[0].set_title("AND learned by the perceptron after 10 epochs")
        axes[1].set_title("OR learned by the perceptron after 10 epochs")
        problems = figures.text_problems(fig)
        assert "axes 0 title overlaps axes 1 title" in problems
        fig2, ax = plt.subplots()
        ax.plot([0, 1], [1, 2], label="line")
        ax.set(title="A short title", xlabel="x", ylabel="y")
        ax.legend()
        assert figures.text_problems(fig2) == []
        plt.close("all")
    finally:
        plotting.use_style("default")


def test_alt_text_is_built_from_the_figure_and_its_description():
    from nnlib import figures

    fig, axes = plt.subplots(1, 2)
    axes[0].plot([1, 2], label="training")
    axes[0].plot([2, 1], label="validation")
    axes[0].set(title="Loss", xlabel="epoch", ylabel="$L$")
    axes[0].legend()
    axes[1].set(title="Accuracy")
    fig.suptitle("Training history")
    figures.describe(axes[0], "The loss falls.")
    alt = figures.alt_text(fig)
    assert alt.startswith("Figure: Training history.")
    for part in ["Loss; L against epoch; legend: training, validation", "Accuracy", "falls."]:
        assert part in alt, alt
    with pytest.raises(ValueError, match="non-empty"):
        figures.describe(fig, " ")
    with pytest.raises(TypeError, match="Figure"):
        figures.alt_text("fig")
    plt.close("all")


def test_installed_hook_displays_figures_as_img_with_alt_and_renders_once():
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure

    from nnlib import figures

    shell = InteractiveShell.instance()
    assert figures.install(shell) is True
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    ax.set(title='Ratio "a" < b', xlabel="x", ylabel="y")
    data, _ = shell.display_formatter.format(fig)
    html = data["text/html"]
    assert html.startswith('<img src="data:image/png;base64,' + data["image/png"] + '"')
    assert 'alt="Figure: Ratio &quot;a&quot; &lt; b; y against x."' in html
    assert data["text/plain"] == 'Figure: Ratio "a" < b; y against x.'
    # the inline backend's own PNG printer is gone, so the picture is rendered once
    assert Figure not in shell.display_formatter.formatters["image/png"].type_printers
    assert figures.install(None) in (True, False)  # outside IPython: no error
    plt.close("all")


def test_plot_history_ticks_are_whole_epochs():
    history = {"loss": [0.9, 0.5, 0.4], "accuracy": [0.6, 0.8, 0.9]}
    for ax in plotting.plot_history(history):
        ax.figure.canvas.draw()
        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks), ticks
