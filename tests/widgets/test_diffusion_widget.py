"""nnlib.widgets.diffusion (lesson 13): the reverse-process scrubber's plain values, its figure
redrawn in place (labels, no cut text, in both styles), and bad trajectories named."""

import numpy as np
import pytest
from helpers import widget_figure_problems

from nnlib.widgets.diffusion import check_trajectory, reverse_process_widget, trajectory_view


def _trajectory(keep=5, n=6):
    """Noise fading into a fixed pattern: what sample(..., keep=5) returns, without a model."""
    rng = np.random.default_rng(0)
    target = np.linspace(-1, 1, 784).reshape(28, 28)
    ts = np.linspace(1000, 0, keep).round().astype(int)
    return [
        (int(t), (t / 1000) * rng.standard_normal((n, 28, 28)) + (1 - t / 1000) * target)
        for t in ts
    ]


def test_view_values():
    traj = _trajectory()
    t, images = trajectory_view(traj, 0, n_show=4)
    assert t == 1000 and images.shape == (4, 28, 28)
    t, images = trajectory_view(traj, 4)
    assert t == 0 and images.shape == (6, 28, 28)
    np.testing.assert_allclose(images[0], traj[-1][1][0])
    flat = [(t, im.reshape(-1, 784)) for t, im in traj]
    assert check_trajectory(flat)[1][1].shape == (6, 28, 28)


def test_widget_scrubs_and_redraws_in_place():
    box = reverse_process_widget(_trajectory(), n_show=3)
    slider = box.controls["snapshot"]
    assert slider.continuous_update is False and slider.max == 4
    view = box.view
    assert "t = 1000 of 1000" in view.fig.texts[0].get_text() and "pure noise" in view.image.tooltip
    slider.value = 4
    assert "t = 0 of 1000" in view.fig.texts[0].get_text()
    assert "finished" in view.image.tooltip
    assert box.update(2) == 500
    assert len(view.fig.axes) == 3


@pytest.mark.parametrize(
    "trajectory, kwargs, error, words",
    [
        ([], {}, TypeError, "keep=0"),
        ("snapshots", {}, TypeError, "(t, images)"),
        ([(1000, np.zeros((2, 28, 28)), 3)], {}, TypeError, "pair (t, images)"),
        ([(1.5, np.zeros((2, 28, 28)))], {}, TypeError, "t must be an int"),
        ([(10, np.zeros((2, 10)))], {}, ValueError, "(n, 28, 28)"),
        ([(10, np.zeros((2, 784))), (0, np.zeros((3, 784)))], {}, ValueError, "same number"),
        (_trajectory(), {"n_show": 0}, ValueError, "n_show"),
    ],
)
def test_bad_trajectories_are_named(trajectory, kwargs, error, words):
    with pytest.raises(error) as info:
        reverse_process_widget(trajectory, **kwargs)
    assert words in str(info.value), str(info.value)


def test_bad_index_is_named():
    with pytest.raises(ValueError, match="from 0 to 4"):
        trajectory_view(_trajectory(), 5)
    with pytest.raises(TypeError, match="index must be an int"):
        trajectory_view(_trajectory(), 1.0)


@pytest.mark.parametrize("style", ["classroom", "default"])
def test_widget_figure_reads_in_both_styles(style, monkeypatch):
    from nnlib.show.plotting import use_style

    use_style(style)
    try:
        problems = widget_figure_problems(
            monkeypatch, lambda: reverse_process_widget(_trajectory())
        )
        assert not problems, problems[:6]
    finally:
        use_style("default")
