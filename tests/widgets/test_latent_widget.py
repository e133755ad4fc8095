"""nnlib.widgets.latent (lesson 13): the decoded image at a point (plain values), the widget's
sliders and figure, its readability in both styles, and clear errors for bad input."""

import numpy as np
import pytest
from helpers import widget_figure_problems

from nnlib.widgets.latent import DIGIT_MARKERS, decode_point, digit_style, latent_explorer


def _fake_decoder(z):
    """Codes (n, 2) -> images (n, 784): a bright square whose position follows the code."""
    z = np.asarray(z)
    out = np.zeros((len(z), 28, 28))
    for i, (a, b) in enumerate(z):
        r, c = int(np.clip(14 + 4 * b, 0, 24)), int(np.clip(14 + 4 * a, 0, 24))
        out[i, r : r + 4, c : c + 4] = 1.0
    return out.reshape(len(z), 784)


def _codes():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 20)
    return rng.normal(size=(200, 2)) + labels[:, None] * 0.1, labels


def test_decode_point_is_the_decoder_at_that_point():
    image = decode_point(_fake_decoder, 1.0, -0.5)
    assert image.shape == (28, 28)
    np.testing.assert_array_equal(image.ravel(), _fake_decoder(np.array([[1.0, -0.5]]))[0])


def test_every_digit_class_has_its_own_marker():
    styles = [digit_style(c) for c in range(10)]
    assert len({s["marker"] for s in styles}) == 10 == len(DIGIT_MARKERS)
    for bad in (10, -1, 2.5, True):
        with pytest.raises(ValueError, match="digit class"):
            digit_style(bad)


def test_widget_moves_the_point_and_redraws_the_digit():
    codes, labels = _codes()
    box = latent_explorer(_fake_decoder, codes, labels, extent=3.0)
    assert box.controls["z1"].continuous_update is False
    assert box.controls["z1"].min == -3.0 and box.controls["z2"].max == 3.0
    image = box.update(2.0, 1.0)
    np.testing.assert_array_equal(image, decode_point(_fake_decoder, 2.0, 1.0))
    assert "(2.00, 1.00)" in box.view.fig.axes[1].get_title()
    assert box.view.image.tooltip and "(2.00, 1.00)" in box.view.image.tooltip
    box.controls["z1"].value = -1.0  # the slider redraws through interactive (z2 still 0)
    assert "(-1.00, 0.00)" in box.view.fig.axes[1].get_title()


def test_widget_without_background_codes():
    box = latent_explorer(_fake_decoder)
    assert box.update(0.0, 0.0).shape == (28, 28)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"decode": "decoder"}, TypeError, "must be a function"),
        ({"decode": lambda z: np.zeros((1, 10))}, ValueError, "784 pixels"),
        ({"codes": np.zeros((5, 3))}, ValueError, r"\(n, 2\)"),
        ({"codes": np.zeros((5, 2)), "labels": np.zeros(4)}, ValueError, "one class per code"),
        ({"extent": 0}, ValueError, "extent must be > 0"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words):
    kwargs = {"decode": _fake_decoder, **kwargs}
    with pytest.raises(error, match=words):
        box = latent_explorer(**kwargs)
        box.update(0.0, 0.0)


def test_bad_point_is_named():
    with pytest.raises(TypeError, match="z1 must be a number"):
        decode_point(_fake_decoder, "0", 0.0)


@pytest.mark.parametrize("style", ["classroom", "default"])
def test_widget_figure_reads_in_both_styles(style, monkeypatch):
    """Labels, colour plus marker shapes, no overlapping or cut text, at the start and with each
    slider at both ends (as tests/show/test_figures_classroom.py checks the other widgets)."""
    from nnlib.show.plotting import use_style

    use_style(style)
    try:
        codes, labels = _codes()
        problems = widget_figure_problems(
            monkeypatch, lambda: latent_explorer(_fake_decoder, codes, labels)
        )
        assert not problems, problems[:6]
    finally:
        use_style("default")
