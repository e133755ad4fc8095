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
