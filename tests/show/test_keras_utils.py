"""nnlib.show.predictions (friendly image checks, the prediction plot), lesson 07's prediction
browser (nnlib.widgets.predictions) and nnlib.show.liveplot (the live-curves callback, with
nnlib's NumPy network and with a tiny Keras model)."""

import subprocess
import sys

import numpy as np
import pytest

from nnlib.data import make_moons
from nnlib.nn import Dense, Sequential
from nnlib.show import liveplot as lp
from nnlib.show import predictions as ku
from nnlib.widgets import predictions as wp


# --------------------------------------------------------------------------- check_images
def test_check_images_accepts_scaled_batch_and_returns_float32():
    x = np.linspace(0, 1, 2 * 28 * 28).reshape(2, 28, 28)
    out = ku.check_images(x)
    assert out.dtype == np.float32 and out.shape == (2, 28, 28)
    np.testing.assert_allclose(out, x, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.uint8, np.float64])
def test_check_images_unscaled_says_scale_by_255(dtype):
    x = np.full((3, 28, 28), 255, dtype=dtype)
    with pytest.raises(ValueError, match="scale by 255") as err:
        ku.check_images(x)
    assert "0..1" in str(err.value) and "255" in str(err.value)


def test_check_images_uint8_is_rejected_even_when_dark():
    with pytest.raises(ValueError, match=r"dtype uint8.*scale by 255"):
        ku.check_images(np.zeros((1, 28, 28), np.uint8))


def test_check_images_unflattened_for_dense_model_says_flatten():
    with pytest.raises(ValueError, match=r"shape \(3, 28, 28\), expected \(n, 784\).*flatten"):
        ku.check_images(np.zeros((3, 28, 28)), expected_shape=(None, 784))


def test_check_images_flat_for_image_model_says_reshape():
    with pytest.raises(ValueError, match=r"expected \(n, 28, 28\).*reshape\(-1, 28, 28\)"):
        ku.check_images(np.zeros((3, 784)))


def test_check_images_single_image_and_channel_hints():
    with pytest.raises(ValueError, match="add the batch axis"):
        ku.check_images(np.zeros((28, 28)))
    with pytest.raises(ValueError, match="drop the channel axis"):
        ku.check_images(np.zeros((2, 28, 28, 1)))
    with pytest.raises(ValueError, match="add a channel axis"):
        ku.check_images(np.zeros((2, 28, 28)), expected_shape=(None, 28, 28, 1))


def test_check_images_type_errors_and_other_bad_values():
    with pytest.raises(TypeError, match="NoneType"):
        ku.check_images(None)
    with pytest.raises(TypeError, match="numbers"):
        ku.check_images(np.array([["a"] * 28] * 28)[None])
    with pytest.raises(ValueError, match="negative"):
        ku.check_images(np.full((1, 28, 28), -0.5))
    with pytest.raises(ValueError, match="NaN"):
        ku.check_images(np.full((1, 28, 28), np.nan))
    # scaled=False accepts raw pixels (and still checks the shape)
    assert ku.check_images(np.full((1, 28, 28), 255, np.uint8), scaled=False).max() == 255


# --------------------------------------------------------------------------- plot_prediction
def test_plot_prediction_colours_a_mistake_and_checks_inputs():
    from nnlib.show.plotting import CORRECT_COLOR, MISTAKE_COLOR

    p = np.full(10, 0.05)
    p[3] = 0.55
    ax_img, ax_bar = ku.plot_prediction(np.zeros((28, 28)), p, label=5)
    colors = [b.get_facecolor() for b in ax_bar.patches]
    import matplotlib.colors as mc

    assert colors[3] == mc.to_rgba(MISTAKE_COLOR)
    assert "predicted: 3" in ax_img.get_title() and "true: 5" in ax_img.get_title()
    assert ax_bar.get_xlabel() and ax_bar.get_ylabel()
    _, ax_bar = ku.plot_prediction(np.zeros(784), p, label=3)
    assert ax_bar.patches[3].get_facecolor() == mc.to_rgba(CORRECT_COLOR)
    with pytest.raises(ValueError, match="sum to 1"):
        ku.plot_prediction(np.zeros((28, 28)), np.ones(10))
    with pytest.raises(ValueError, match="one 2-D image"):
        ku.plot_prediction(np.zeros((2, 28, 28)), p)


# --------------------------------------------------------------------------- LiveCurves / LivePlot
def test_livecurves_validates_arguments():
    with pytest.raises(ValueError, match=">= 1"):
        lp.LiveCurves(every=0)
    with pytest.raises(TypeError, match="int"):
        lp.LiveCurves(every=2.5)
    with pytest.raises(ValueError, match="val_"):
        lp.LiveCurves(metrics=("val_loss",))
    with pytest.raises(TypeError, match="names"):
        lp.LiveCurves(metrics=(1, 2))


def _numpy_model():
    model = Sequential([Dense(8, "tanh", input_dim=2), Dense(1, "sigmoid")], seed=0)
    return model.compile("adam", "binary_crossentropy", ["accuracy"])


def test_livecurves_with_nnlib_fit_redraws_every_n_and_at_the_end():
    X, y = make_moons(100)
    cb = lp.LiveCurves(every=3, show=False)
    history = _numpy_model().fit(X, y, epochs=10, validation_data=(X, y), callbacks=[cb])
    assert cb.n_draws == 4  # after epochs 3, 6, 9 and the last one (10)
    assert cb.history["loss"] == pytest.approx(history.history["loss"])
    assert set(cb.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    ax = cb.axes[0]
    assert len(ax.lines) == 2 and ax.get_xlabel() == "epoch"  # training + validation
    assert len(ax.lines[0].get_xdata()) == 10


def test_livecurves_explains_missing_metrics():
    model = Sequential([Dense(1, "sigmoid", input_dim=2)]).compile("adam", "binary_crossentropy")
    X, y = make_moons(20)
    with pytest.raises(ValueError, match=r"expected the logs to contain \['accuracy'\]"):
        model.fit(X, y, epochs=1, callbacks=[lp.LiveCurves(metrics="accuracy", show=False)])


def test_importing_predictions_does_not_import_tensorflow():
    code = (
        "import sys, nnlib, nnlib.show.predictions as k, nnlib.widgets.predictions; "
        "k.check_images([[[0.5]]], (None, 1, 1)); "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_liveplot_is_its_own_module_without_a_lazy_attribute_trick():
    import ast
    from pathlib import Path

    for path in (Path(ku.__file__), Path(wp.__file__), Path(lp.__file__)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        assert "__getattr__" not in top, f"{path.name} builds attributes lazily"
    assert not any(hasattr(m, "LivePlot") or hasattr(m, "LiveCurves") for m in (ku, wp))
    assert "class LivePlot(LiveCurves, keras.callbacks.Callback)" in Path(lp.__file__).read_text()


def test_liveplot_is_a_keras_callback_and_draws_during_fit():
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(0)
    X, y = make_moons(64)
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)]
    )
    model.compile("adam", "mse", metrics=["mae"])
    cb = lp.LivePlot(every=2, metrics=("loss", "mae"), show=False)
    assert isinstance(cb, keras.callbacks.Callback)
    history = model.fit(
        X, y, epochs=5, batch_size=64, validation_split=0.25, verbose=0, callbacks=[cb]
    )
    assert cb.n_draws == 3  # epochs 2, 4 and the last one (5)
    assert cb.history["val_loss"] == pytest.approx(history.history["val_loss"])
    assert cb.model is model
    # the same object also serves nnlib's NumPy network
    cb2 = lp.LivePlot(every=5, show=False)
    _numpy_model().fit(X, y, epochs=5, callbacks=[cb2])
    assert cb2.n_draws == 1 and len(cb2.history["loss"]) == 5


def test_liveplot_updates_an_output_widget():
    pytest.importorskip("keras")
    widgets = pytest.importorskip("ipywidgets")
    out = widgets.Output()
    cb = lp.LiveCurves(every=1, output=out)
    X, y = make_moons(20)
    _numpy_model().fit(X, y, epochs=2, callbacks=[cb])
    assert cb.n_draws == 2


# --------------------------------------------------------------------------- prediction_browser
def _browser_data(n=30, k=10, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 784))  # flat images, as lesson 7's MLP takes them
    probs = rng.dirichlet(np.ones(k), n)
    y = probs.argmax(axis=1)
    y[[2, 5, 11]] = (y[[2, 5, 11]] + 1) % k  # three mistakes
    return x, probs, y


def test_browse_index_picks_the_image_or_the_index_th_mistake():
    y_true = np.array([0, 1, 2, 3, 4])
    y_pred = np.array([0, 9, 2, 9, 4])
    assert wp.browse_index(y_true, y_pred, 3) == 3
    assert wp.browse_index(y_true, y_pred, 7) == 2  # wraps around
    assert [wp.browse_index(y_true, y_pred, i, only_mistakes=True) for i in range(4)] == [
        1,
        3,
        1,
        3,
    ]
    # no mistake at all: "only mistakes" browses every image
    assert wp.browse_index(y_true, y_true, 4, only_mistakes=True) == 4
    with pytest.raises(ValueError, match="same length"):
        wp.browse_index(y_true, y_pred[:3], 0)
    with pytest.raises(TypeError, match="index must be an int"):
        wp.browse_index(y_true, y_pred, 1.5)


def test_prediction_browser_shows_the_chosen_digit_in_one_figure():
    pytest.importorskip("ipywidgets")
    from matplotlib.colors import to_rgb

    from nnlib.show.plotting import CORRECT_COLOR, MISTAKE_COLOR

    x, probs, y = _browser_data()
    box = wp.prediction_browser(x, probs, y)
    fig, image = box.view.fig, box.view.image
    assert box.shown_index() == 0 and box.result == probs[0].argmax()
    ax_img, ax_bar = fig.axes
    box.controls["index"].value = 7
    assert box.shown_index() == 7 and box.result == probs[7].argmax()
    np.testing.assert_allclose(ax_img.images[0].get_array(), x[7].reshape(28, 28))
    heights = [r.get_height() for r in ax_bar.patches]
    np.testing.assert_allclose(heights, probs[7])
    pred = int(probs[7].argmax())
    assert ax_bar.patches[pred].get_facecolor()[:3] == pytest.approx(to_rgb(CORRECT_COLOR))
    assert not ax_bar.patches[pred].get_hatch()
    assert ax_img.get_title() == f"predicted: {pred}, true: {y[7]}"
    assert ax_bar.get_title() == f"Softmax output (max {probs[7, pred]:.2f})"
    # the check box answers at once: the index-th mistake, red and hatched
    box.controls["only_mistakes"].value = True
    i = box.shown_index()
    assert i == wp.browse_index(y, probs.argmax(1), 7, only_mistakes=True) == 5
    wrong = ax_bar.patches[int(probs[i].argmax())]
    assert wrong.get_facecolor()[:3] == pytest.approx(to_rgb(MISTAKE_COLOR))
    assert wrong.get_hatch() == "//"
    assert f"true: {y[i]}" in ax_img.get_title()
    # updated in place: the same figure, image widget and artists, no new axes
    assert box.view.fig is fig and box.view.image is image and len(fig.axes) == 2
    assert len(ax_bar.patches) == 10 and len(ax_img.images) == 1
    assert bytes(image.value[:4]) == b"\x89PNG"
    assert f"test image {i}" in image.tooltip and "predicted probability" in image.tooltip
    # the slider applies on release, and the widget says so; the check box is a click
    assert box.controls["index"].continuous_update is False
    notes = [c.value for c in box.children if "nnlib-release-note" in c._dom_classes]
    assert notes and "release" in notes[0]


@pytest.mark.parametrize("style", ["classroom", "default"])
def test_prediction_browser_figure_reads_in_both_styles(style):
    pytest.importorskip("ipywidgets")
    from nnlib.show import figures
    from nnlib.show.plotting import use_style

    use_style(style)
    try:
        x, probs, y = _browser_data()
        box = wp.prediction_browser(x, probs, y)
        for index, mistakes in [(0, False), (29, False), (0, True), (29, True)]:
            box.controls["index"].value = index
            box.controls["only_mistakes"].value = mistakes
            fig = box.view.fig
            problems = (
                figures.missing_labels(fig)
                + figures.colour_only_classes(fig)
                + figures.text_problems(fig)
            )
            assert not problems, (style, index, mistakes, problems)
    finally:
        use_style("default")


def test_prediction_browser_rejects_mismatched_inputs():
    pytest.importorskip("ipywidgets")
    x, probs, y = _browser_data()
    with pytest.raises(ValueError, match="one row per image"):
        wp.prediction_browser(x[:5], probs, y)
    with pytest.raises(ValueError, match="labels"):
        wp.prediction_browser(x, probs, y[:5])
