"""nnlib.byhand.vision (and lesson 09's kernel explorer): convolution, padding, pooling and output sizes agree with SciPy and Keras; bad
input raises ValueError/TypeError naming expected vs given."""

import numpy as np
import pytest
from scipy.signal import convolve2d as sp_convolve2d
from scipy.signal import correlate2d as sp_correlate2d

from nnlib.byhand import vision
from nnlib.widgets import kernel_explorer

rng = np.random.default_rng(0)


@pytest.mark.parametrize("shape, kshape", [((7, 9), (3, 3)), ((10, 6), (2, 4)), ((5, 5), (5, 5))])
def test_correlate_and_convolve_match_scipy(shape, kshape):
    img, ker = rng.normal(size=shape), rng.normal(size=kshape)
    np.testing.assert_allclose(vision.correlate2d(img, ker), sp_correlate2d(img, ker, "valid"))
    np.testing.assert_allclose(vision.convolve2d(img, ker), sp_convolve2d(img, ker, "valid"))


def test_same_padding_matches_scipy_same():
    img, ker = rng.normal(size=(8, 11)), rng.normal(size=(3, 3))
    out = vision.correlate2d(img, ker, padding="same")
    np.testing.assert_allclose(out, sp_correlate2d(img, ker, "same"))


@pytest.mark.parametrize("n, k, s, p", [(28, 3, 1, 0), (28, 3, 2, 1), (13, 5, 3, 2), (9, 9, 1, 0)])
def test_output_shape_follows_formula(n, k, s, p):
    out = vision.correlate2d(np.ones((n, n + 3)), np.ones((k, k)), stride=s, padding=p)
    assert out.shape == (
        vision.conv_output_size(n, k, s, p),
        vision.conv_output_size(n + 3, k, s, p),
    )
    assert vision.conv_output_size(n, k, s, p) == (n + 2 * p - k) // s + 1


def test_conv_output_size_same_and_valid():
    assert vision.conv_output_size(28, 3, 1, "same") == 28
    assert vision.conv_output_size(28, 3, 2, "same") == 14
    assert vision.conv_output_size(28, 3, 1, "valid") == 26


def test_pooling_values_and_channels():
    x = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(vision.max_pool2d(x), [[5, 7], [13, 15]])
    np.testing.assert_allclose(vision.avg_pool2d(x), [[2.5, 4.5], [10.5, 12.5]])
    assert vision.max_pool2d(np.zeros((5, 7, 3))).shape == (2, 3, 3)  # floor, channels kept
    assert vision.max_pool2d(x, size=2, stride=1).shape == (3, 3)


def test_kernels_sums():
    for name, k in vision.KERNELS.items():
        assert k.shape == (3, 3)
        if "edges" in name:
            assert np.isclose(k.sum(), 0.0), name
        if "blur" in name:
            assert np.isclose(k.sum(), 1.0), name


def test_param_counts():
    assert vision.conv_params(3, 1, 32) == 320
    assert vision.conv_params((5, 5), 3, 16) == 1216
    assert vision.conv_params(3, 1, 8, bias=False) == 72
    assert vision.dense_params(784, 128) == 100480


def test_conv2d_multichannel_matches_channel_sum():
    x = rng.normal(size=(2, 6, 5, 3))
    w = rng.normal(size=(3, 3, 3, 4))
    b = rng.normal(size=4)
    out = vision.conv2d(x, w, b)
    assert out.shape == (2, 4, 3, 4)
    expected = sum(vision.correlate2d(x[1, :, :, c], w[:, :, c, 2]) for c in range(3)) + b[2]
    np.testing.assert_allclose(out[1, :, :, 2], expected)
    assert vision.conv2d(x, w, b, stride=2, padding=1).shape == (2, 3, 3, 4)


def test_conv2d_matches_keras_and_saliency_shape():
    keras = pytest.importorskip("keras")
    layer = keras.layers.Conv2D(2, 3, strides=2)
    x = rng.normal(size=(1, 7, 8, 2)).astype("float32")
    layer(x)
    w, b = rng.normal(size=(3, 3, 2, 2)).astype("float32"), rng.normal(size=2).astype("float32")
    layer.set_weights([w, b])
    np.testing.assert_allclose(layer(x).numpy(), vision.conv2d(x, w, b, stride=2), atol=1e-5)

    model = keras.Sequential(
        [keras.Input((6, 6, 1)), keras.layers.Flatten(), keras.layers.Dense(3)]
    )
    sal, c = vision.saliency_map(model, np.ones((6, 6, 1)), class_index=1)
    assert sal.shape == (6, 6) and c == 1
    W = model.layers[-1].get_weights()[0]  # linear model: gradient = the weights
    np.testing.assert_allclose(sal.ravel(), np.abs(W[:, 1]), rtol=1e-5)
    with pytest.raises(ValueError, match="input shape"):
        vision.saliency_map(model, np.ones((5, 5, 1)))
    with pytest.raises(ValueError, match="class_index"):
        vision.saliency_map(model, np.ones((6, 6, 1)), class_index=7)


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: vision.correlate2d(np.ones(5), np.ones((3, 3))), ValueError, "image must be 2-D"),
        (lambda: vision.correlate2d(np.ones((4, 4)), np.ones((5, 5))), ValueError, "does not fit"),
        (lambda: vision.correlate2d("photo", np.ones((3, 3))), TypeError, "numeric array"),
        (
            lambda: vision.correlate2d(np.ones((4, 4)), np.ones((3, 3)), stride=0),
            ValueError,
            ">= 1",
        ),
        (
            lambda: vision.correlate2d(np.ones((4, 4)), np.ones((3, 3)), stride=1.5),
            TypeError,
            "int",
        ),
        (
            lambda: vision.correlate2d(np.ones((4, 4)), np.ones((2, 2)), padding="same"),
            ValueError,
            "odd",
        ),
        (lambda: vision.conv_output_size(3, 5), ValueError, "larger than the padded input"),
        (lambda: vision.max_pool2d(np.ones((1, 1)), 2), ValueError, "larger than the image"),
        (
            lambda: vision.conv2d(np.ones((1, 5, 5, 2)), np.ones((3, 3, 3, 4))),
            ValueError,
            "channels",
        ),
        (lambda: vision.conv2d(np.ones((5, 5, 2)), np.ones((3, 3, 2, 4))), ValueError, "4-D"),
    ],
)
def test_bad_input_errors_say_what_is_expected(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


# --------------------------------------------------------------------------- kernel explorer
def test_parse_kernel_reads_three_rows_and_names_the_format():
    np.testing.assert_array_equal(
        vision.parse_kernel(" 0 -1 0; -1 5 -1; 0 -1 0 "), vision.KERNELS["sharpen"]
    )
    for bad in ["1 2 3; 4 5 6", "1 2; 3 4; 5 6", "a b c; 1 2 3; 4 5 6", ""]:
        with pytest.raises(ValueError, match="3 rows of 3 numbers"):
            vision.parse_kernel(bad)
    with pytest.raises(TypeError, match="text"):
        vision.parse_kernel([[0, 1, 0]] * 3)


def test_apply_kernel_is_same_size_correlation():
    img = rng.random((12, 15))
    np.testing.assert_allclose(vision.apply_kernel(img, "identity"), img)
    np.testing.assert_allclose(
        vision.apply_kernel(img, "box blur"),
        sp_correlate2d(img, vision.KERNELS["box blur"], mode="same"),
    )
    np.testing.assert_allclose(
        vision.apply_kernel(img, "custom", "0 -1 0; -1 5 -1; 0 -1 0"),
        vision.apply_kernel(img, "sharpen"),
    )
    with pytest.raises(ValueError, match="unknown kernel"):
        vision.apply_kernel(img, "emboss")


def test_kernel_explorer_updates_one_figure_in_place():
    pytest.importorskip("ipywidgets")
    img = rng.random((40, 60))
    box = kernel_explorer(img)
    fig, image = box.view.fig, box.view.image
    original, filtered = (ax.images[0] for ax in fig.axes)
    np.testing.assert_allclose(box.result, vision.apply_kernel(img, "sharpen"))
    np.testing.assert_allclose(filtered.get_array(), box.result)
    box.controls["kernel_name"].value = "edges (Laplacian)"  # a drop-down: at once
    out = vision.apply_kernel(img, "edges (Laplacian)")
    np.testing.assert_allclose(box.result, out)
    np.testing.assert_allclose(filtered.get_array(), out)
    assert filtered.get_clim() == pytest.approx((out.min(), out.max()))
    assert fig.axes[1].get_title() == "edges (Laplacian): kernel sum = 0.00"
    np.testing.assert_allclose(original.get_array(), img)  # the left panel stays the photo
    assert box.view.fig is fig and box.view.image is image and len(fig.axes) == 2
    assert all(len(ax.images) == 1 for ax in fig.axes)
    assert "edges (Laplacian)" in image.tooltip and "column (pixel)" in image.tooltip
    # custom: a bad text says why and leaves the picture; a good one is applied
    box.controls["kernel_name"].value = "custom"
    box.controls["custom"].value = "1 2 3"
    assert box.result is None and "3 rows of 3 numbers" in box.message.value
    np.testing.assert_allclose(filtered.get_array(), vision.apply_kernel(img, "sharpen"))
    box.controls["custom"].value = "0 0 0; 0 2 0; 0 0 0"
    np.testing.assert_allclose(box.result, 2 * img)
    assert box.message.value == "" and "kernel sum = 2.00" in fig.axes[1].get_title()
    assert box.controls["custom"].continuous_update is False


@pytest.mark.parametrize("style", ["classroom", "default"])
def test_kernel_explorer_figure_reads_in_both_styles(style):
    pytest.importorskip("ipywidgets")
    from nnlib.show import figures
    from nnlib.show.plotting import use_style

    use_style(style)
    try:
        box = kernel_explorer(rng.random((107, 160)))
        for name in [*vision.KERNELS, "custom"]:
            box.controls["kernel_name"].value = name
            fig = box.view.fig
            problems = figures.missing_labels(fig) + figures.text_problems(fig)
            assert not problems, (style, name, problems)
    finally:
        use_style("default")
