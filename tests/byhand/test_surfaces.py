"""nnlib.byhand.surfaces: the two-parameter loss of lesson 04 and the optimizer-path helper."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import nn  # noqa: E402
from nnlib.byhand import surfaces  # noqa: E402


@pytest.fixture(scope="module")
def surface():
    return surfaces.LineFit(*surfaces.load_bmi_data())


def test_gradient_matches_finite_differences(surface):
    p = np.array([0.3, 0.7])
    num = nn.numerical_gradient(lambda: float(surface.loss(p[0], p[1])), p)
    assert nn.relative_error(surface.grad(p), num) < 1e-7


def test_minimum_has_zero_gradient_and_lowest_loss(surface):
    assert np.allclose(surface.grad(surface.minimum), 0, atol=1e-10)
    w, b = np.meshgrid(np.linspace(0.5, 1.5, 21), np.linspace(-2, 0, 21))
    assert surface.loss(w, b).min() >= surface.min_loss - 1e-12


def test_hessian_matches_the_gradient_difference(surface):
    p, d = np.array([0.2, 0.1]), np.array([1e-3, -2e-3])
    assert np.allclose(surface.grad(p + d) - surface.grad(p), surface.hessian() @ d)


def test_optimize_uses_nnlib_optimizers_and_returns_the_path(surface):
    path = surfaces.optimize(surface, nn.SGD(0.1), [-0.5, 1.5], steps=5)
    assert path.shape == (6, 2)
    first = np.array([-0.5, 1.5]) - 0.1 * surface.grad(np.array([-0.5, 1.5]))
    assert np.allclose(path[1], first)
    mini = surfaces.optimize(surface, nn.SGD(0.05), [-0.5, 1.5], steps=30, batch_size=32, seed=1)
    again = surfaces.optimize(surface, nn.SGD(0.05), [-0.5, 1.5], steps=30, batch_size=32, seed=1)
    assert np.array_equal(mini, again)
    assert not np.allclose(mini, surfaces.optimize(surface, nn.SGD(0.05), [-0.5, 1.5], steps=30))


def test_bad_arguments(surface):
    with pytest.raises(ValueError, match=r"two numbers \[w, b\], got shape \(3,\)"):
        surfaces.optimize(surface, nn.SGD(0.1), [1, 2, 3], steps=3)
    with pytest.raises(ValueError, match="positive int"):
        surfaces.optimize(surface, nn.SGD(0.1), [1, 2], steps=0)
    with pytest.raises(ValueError, match=r"same length, got \(3,\) and \(2,\)"):
        surfaces.LineFit(np.ones(3), np.ones(2))


def test_plot_paths_draws_every_path(surface):
    paths = {"a": np.array([[0.0, 0.0], [0.5, -0.5]]), "b": np.array([[0.0, 0.0], [1.0, -1.0]])}
    ax = surfaces.plot_paths(surface, paths, resolution=30)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["a", "b"] and ax.get_xlabel() == "slope $w$"


def test_plot_paths_reads_in_classroom_style(surface):
    from nnlib import nn
    from nnlib.show import figures, plotting

    try:
        plotting.use_style("classroom")
        path = surfaces.optimize(surface, nn.SGD(0.1), [-0.5, 1.5], 50)
        ax = surfaces.plot_paths(surface, {"gradient descent, lr 0.1": path}, resolution=60)
        # the legend sits outside the axes: it hides no contour label
        assert figures.text_problems(ax.figure) == []
        assert all(t.get_fontsize() < matplotlib.rcParams["font.size"] for t in ax.texts)  # x-small
    finally:
        plotting.use_style("default")
