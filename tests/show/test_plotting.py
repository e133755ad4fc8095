"""nnlib.show.plotting: each plot draws what it claims, in the course palette, and rejects bad input."""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from nnlib import nn
from nnlib.data import make_blobs
from nnlib.show import plotting


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
    from nnlib.show import figures

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
    from nnlib.show import figures

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


def test_installed_hook_displays_figures_as_img_with_alt_and_renders_once(ipython):
    from matplotlib.figure import Figure

    from nnlib.show import figures

    shell = ipython
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


def test_use_style_default_after_classroom_resets_every_classroom_size():
    try:
        plotting.use_style("classroom")
        plotting.use_style("default")
        assert mpl.rcParams["xtick.labelsize"] == mpl.rcParamsDefault["xtick.labelsize"]
        assert mpl.rcParams["axes.titlepad"] == mpl.rcParamsDefault["axes.titlepad"]
        assert mpl.rcParams["font.size"] == 11
    finally:
        plotting.use_style("default")


def test_log_ticks_label_powers_of_ten_as_plain_numbers_and_leave_the_corner_free():
    from nnlib.show import figures

    try:
        plotting.use_style("classroom")
        fig, ax = plt.subplots(figsize=(8, 4.5))
        ax.loglog(np.logspace(-12, -1, 12), np.logspace(-11, 0, 12), "o-", label="float64")
        ax.set(title="Gradient check", xlabel="step size", ylabel="relative error")
        ax.legend()
        assert figures.text_problems(fig) == []  # the bottom-left corner once overlapped
        lo, hi = ax.get_xlim()
        shown = [t.get_text() for t in ax.get_xticklabels() if lo <= t.get_position()[0] <= hi]
        assert "1e−10" in shown and "0.01" in shown, shown
        assert all(
            t.replace("1e−", "").isdigit() or t in ("0.01", "0.001", "0.1", "1") for t in shown
        ), shown  # powers of ten only, no 6×10⁻¹
        assert len(shown) <= 7, shown
    finally:
        plotting.use_style("default")


def test_text_problems_ignores_log_ticks_outside_the_view():
    from nnlib.show import figures

    fig, ax = plt.subplots()
    ax.loglog([1e-12, 1e-1], [1e-11, 1.0])
    ax.set(title="t", xlabel="x", ylabel="y")
    # a major tick one decade below the view sits at the corner but is never drawn
    assert not any("1e−14" in p or "1e−13" in p for p in figures.text_problems(fig))


def test_missing_labels_wants_a_title_and_names_for_numeric_axes():
    from nnlib.show import figures

    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    assert figures.missing_labels(fig) == [
        "the figure has no title",
        "axes 0 has no x label",
        "axes 0 has no y label",
    ]
    ax.set(title="Loss", xlabel="epoch", ylabel="loss")
    assert figures.missing_labels(fig) == []
    # category names label themselves; a shared y axis is labelled once; an image grid needs none
    fig2, axes = plt.subplots(1, 3, sharey=True)
    axes[0].barh(["a", "b"], [1, 2])
    axes[0].set(title="Bars", xlabel="count")
    axes[1].plot([1, 2])
    axes[1].set(xlabel="step", ylabel="")
    axes[2].imshow(np.zeros((3, 3)))
    axes[2].axis("off")
    assert figures.missing_labels(fig2) == []
    plt.close("all")


def test_colour_only_classes_asks_for_marker_shapes():
    from nnlib.data import make_blobs
    from nnlib.show import figures

    fig, ax = plt.subplots()
    for c in (0, 1):
        ax.scatter([c, c + 1], [0, 1], label=f"class {c}")
    assert figures.colour_only_classes(fig) == [
        "axes 0: groups class 0, class 1 differ by colour only (add markers)"
    ]
    fig2, ax2 = plt.subplots()
    for c in (0, 1):
        ax2.scatter([c, c + 1], [0, 1], label=f"class {c}", **plotting.class_style(c))
    assert figures.colour_only_classes(fig2) == []
    X, y = make_blobs(60)
    ax3 = plotting.plot_decision_boundary(lambda P: (P[:, 0] > 0).astype(int), X, y)
    assert figures.colour_only_classes(ax3.figure) == []
    plt.close("all")


def test_fit_labels_breaks_a_label_longer_than_its_axes():
    from nnlib.show import figures

    try:
        plotting.use_style("classroom")
        fig, ax = plt.subplots(figsize=(9, 5))
        for i in range(4):
            ax.plot(np.arange(200), np.exp(np.sin(np.arange(200) / 9) + i), label=f"lr = {i}")
        ax.set(
            title="Spirals, 2-64-64-3, plain SGD: four learning rates",
            xlabel="epoch",
            ylabel="training loss (cross-entropy, log scale)",
            yscale="log",
        )
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
        fig.draw_without_rendering()

        def too_long():
            return ax.yaxis.label.get_window_extent().height > ax.get_window_extent().height

        assert too_long()  # it ran past the axes into the title's row
        figures.fit_labels(fig)
        assert ax.get_ylabel() == "training loss\n(cross-entropy, log scale)"
        fig.draw_without_rendering()
        assert not too_long() and figures.text_problems(fig) == []
        # mathtext ($...$) is never broken inside
        lines = figures._split("mean $|d y / d x|$ over the whole time", 2).split("\n")
        assert len(lines) == 2 and any("$|d y / d x|$" in line for line in lines), lines
    finally:
        plotting.use_style("default")


def test_plot_history_of_one_epoch_has_one_tick():
    from nnlib.show import figures

    try:
        plotting.use_style("classroom")
        axes = plotting.plot_history({"loss": [0.5], "val_loss": [0.6], "accuracy": [0.9]})
        assert figures.text_problems(axes[0].figure) == []  # not 0.945, 0.960, ... crowded
        assert list(axes[0].get_xticks()) == [1]
    finally:
        plotting.use_style("default")


def test_hook_handles_a_closed_pyplot_figure(ipython):
    """A live plot displays its figure after plt.close (a bare FigureCanvasBase): the hook's
    label fitting once raised AttributeError there (no get_renderer)."""
    from nnlib.show import figures

    shell = ipython
    figures.install(shell)
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([1, 2])
    ax.set(title="Live", xlabel="epoch", ylabel="a long label that is longer than the axes")
    plt.close(fig)
    assert not hasattr(fig.canvas, "get_renderer")
    figures.fit_labels(fig)
    assert "\n" in ax.get_ylabel()
    data, _ = shell.display_formatter.format(fig)
    assert data["text/html"].startswith("<img") and "alt=" in data["text/html"]


def test_live_curves_of_one_epoch_read_in_classroom_style():
    from nnlib.show import figures
    from nnlib.show.liveplot import LiveCurves

    try:
        plotting.use_style("classroom")
        live = LiveCurves(every=1, metrics=("loss", "accuracy"), title="Baseline", show=False)
        live.on_train_begin()
        live.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.6, "accuracy": 0.8, "val_accuracy": 0.7})
        live.on_train_end()
        assert figures.text_problems(live.fig) == []  # not 0.945, 0.960, ... crowded
        assert list(live.axes[0].get_xticks()) == [1]
    finally:
        plotting.use_style("default")


def test_widget_figures_report_their_problems_once_when_checking(monkeypatch, capsys):
    from nnlib.show import figures
    from nnlib.widgets import FigureImage

    view = FigureImage((3, 2))
    ax = view.fig.add_subplot()
    ax.plot([1, 2])
    ax.set_title("A title far too long for a figure only three inches wide, cut off")
    monkeypatch.delenv(figures.CHECK_ENV, raising=False)
    view.refresh()
    assert capsys.readouterr().err == ""  # not checking: nothing printed
    view._checked = False
    monkeypatch.setenv(figures.CHECK_ENV, "1")
    view.refresh()
    view.refresh()  # the first picture only: slider steps stay fast
    err = capsys.readouterr().err
    assert err.count("FigureTextError") == 1 and "cut off" in err and "no x label" in err
