"""nnlib.show.diagram.draw_network: what it draws and how it rejects bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from nnlib.show.diagram import NEGATIVE_COLOR, POSITIVE_COLOR, draw_network  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def line_collections(ax):
    return [c for c in ax.collections if isinstance(c, LineCollection)]


def test_small_network_draws_every_neuron_and_connection():
    ax = draw_network([2, 3, 1])
    assert len(circles(ax)) == 2 + 3 + 1
    segs = [len(c.get_segments()) for c in line_collections(ax)]
    assert segs == [2 * 3, 3 * 1]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "input" in texts and "hidden 1" in texts and "output" in texts


def test_big_layers_are_truncated_with_an_ellipsis():
    ax = draw_network([784, 128, 10], max_neurons=8)
    assert len(circles(ax)) == 7 + 7 + 7  # 8 slots, one of them the "..."
    assert sum(t.get_text() == "⋮" for t in ax.texts) == 3
    assert "(784)" in " ".join(t.get_text() for t in ax.texts)


def test_weights_set_colour_and_width():
    W1 = np.array([[1.0, -2.0]])
    W2 = np.array([[0.5], [-0.5]])
    ax = draw_network([1, 2, 1], weights=[W1, W2], biases=[[0.0, 1.0], [-1.0]])
    first = line_collections(ax)[0]
    colors = [matplotlib.colors.to_hex(c) for c in first.get_colors()]
    assert colors == [POSITIVE_COLOR.lower(), NEGATIVE_COLOR.lower()]
    widths = first.get_linewidths()
    assert widths[1] > widths[0]  # |-2| > |1|
    assert "b=-1" in [t.get_text() for t in ax.texts]


def test_uses_the_given_axes_and_labels():
    fig, ax = plt.subplots()
    out = draw_network([3, 2], ax=ax, layer_labels=["in", "out"], title="T")
    assert out is ax and ax.get_title() == "T"
    assert {"in", "out"} <= {t.get_text() for t in ax.texts}


@pytest.mark.parametrize(
    "sizes, exc, words",
    [
        ("231", TypeError, "list of ints"),
        (5, TypeError, "list of ints"),
        ([3], ValueError, "at least 2 layers"),
        ([2, 0, 1], ValueError, "layer_sizes[1] must be >= 1, got 0"),
        ([2, 2.5], TypeError, "layer_sizes[1] must be an int, got float"),
        ([2, True], TypeError, "must be an int"),
    ],
)
def test_bad_layer_sizes(sizes, exc, words):
    with pytest.raises(exc) as err:
        draw_network(sizes)
    assert words in str(err.value)


def test_bad_weights_and_labels():
    with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(2, 3\), got \(3, 2\)"):
        draw_network([2, 3, 1], weights=[np.zeros((3, 2)), np.zeros((3, 1))])
    with pytest.raises(ValueError, match="2 matrices for 3 layers, got 1"):
        draw_network([2, 3, 1], weights=[np.zeros((2, 3))])
    with pytest.raises(ValueError, match="needs 3 labels, got 2"):
        draw_network([2, 3, 1], layer_labels=["a", "b"])
    with pytest.raises(ValueError, match="max_neurons must be >= 3"):
        draw_network([2, 3], max_neurons=2)


def test_pipeline_draws_a_box_per_stage_and_marks_frozen_ones():
    from matplotlib.patches import FancyBboxPatch

    from nnlib.show.diagram import draw_pipeline
    from nnlib.show.figures import alt_text

    ax = draw_pipeline([("input", "28×28"), ("Conv", "26×26×32"), ("Dense", "10")], frozen=[1])
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 3 and [b.get_hatch() for b in boxes] == [None, "//", None]
    text = alt_text(ax.figure)
    assert "Conv (26×26×32) — frozen" in text and "Dense (10)" in text


def test_pipeline_rejects_bad_stages_with_a_clear_message():
    from nnlib.show.diagram import draw_pipeline

    with pytest.raises(ValueError, match="pairs"):
        draw_pipeline(["input", "dense"])
    with pytest.raises(ValueError, match="frozen holds indices 0..1"):
        draw_pipeline([("a", "1"), ("b", "2")], frozen=[5])


def test_unrolled_rnn_has_one_cell_per_step_and_an_alt_text():
    from matplotlib.patches import FancyBboxPatch

    from nnlib.show.diagram import draw_unrolled_rnn
    from nnlib.show.figures import alt_text

    ax = draw_unrolled_rnn(5)
    assert sum(isinstance(p, FancyBboxPatch) for p in ax.patches) == 5
    assert "share W_x, W_h, b" in alt_text(ax.figure)
    with pytest.raises(ValueError, match="steps must be an int from 1 to 8"):
        draw_unrolled_rnn(0)


def test_lstm_cell_shows_four_gates():
    from nnlib.show.diagram import draw_lstm_cell
    from nnlib.show.figures import alt_text

    ax = draw_lstm_cell()
    labels = " ".join(t.get_text() for t in ax.texts)
    for gate in ["forget", "input", "candidate", "output"]:
        assert gate in labels
    assert "cell state" in alt_text(ax.figure)


@pytest.mark.parametrize("style", ["classroom", "default"])
def test_layer_names_do_not_overlap_in_either_style(style):
    """Lesson 03 draws a 2-3-1 network and an 8-row MNIST network side by side: the layer names
    under the tall, narrow one ran into each other in classroom style."""
    from nnlib.show import figures, plotting

    try:
        plotting.use_style(style)
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
        draw_network([2, 3, 1], ax=axes[0], title="A 2-3-1 network")
        draw_network([784, 128, 64, 10], ax=axes[1], max_neurons=8, title="An MNIST classifier")
        W = [np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([[1.0], [1.0]])]
        ax = draw_network([2, 2, 1], weights=W, biases=[np.zeros(2), np.zeros(1)], title="XOR")
        for f in (fig, ax.figure):
            assert figures.text_problems(f) == [], figures.text_problems(f)
        assert not any(isinstance(t.get_fontsize(), int) for t in ax.texts)
    finally:
        plotting.use_style("default")


@pytest.mark.parametrize("style", ["classroom", "default"])
def test_block_diagram_labels_stay_inside_their_boxes(style):
    """Lesson 09's pipeline ("Conv 3×3, 32", "MaxPooling2D" in 1.6-unit boxes) and the LSTM
    cell ran their labels over the box edges in classroom style; _fit_box_texts shrinks them."""
    from matplotlib.patches import FancyBboxPatch

    from nnlib.show import diagram, figures, plotting

    stages = [("input", "28×28×1"), ("Conv 3×3, 32", "26×26×32"), ("MaxPooling2D", "13×13×32")]
    stages += [("Conv 3×3, 64", "11×11×64"), ("MaxPooling2D", "5×5×64"), ("Flatten", "1600")]
    stages += [("Dense", "128"), ("Dense", "10")]
    try:
        plotting.use_style(style)
        for ax in (
            diagram.draw_pipeline(stages, title="The CNN"),
            diagram.draw_lstm_cell(),
            diagram.draw_unrolled_rnn(4),
        ):
            fig = ax.figure
            assert figures.text_problems(fig) == []
            renderer = fig._get_renderer()
            boxes = [p.get_window_extent(renderer) for p in ax.patches]
            boxes = [b for p, b in zip(ax.patches, boxes) if isinstance(p, FancyBboxPatch)]
            labels = [t for t in ax.texts if hasattr(t, "_nnlib_box_width")]
            assert labels
            for t in labels:
                tb = t.get_window_extent(renderer)
                cx, cy = (tb.x0 + tb.x1) / 2, (tb.y0 + tb.y1) / 2
                for b in boxes:
                    if b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1:  # the box's own label
                        assert b.x0 <= tb.x0 and tb.x1 <= b.x1, (t.get_text(), tb, b)
    finally:
        plotting.use_style("default")
