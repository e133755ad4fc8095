"""nnlib.playground: the headless API and the widget (driven without a browser)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.playground import ACTIVATIONS, DATASETS, Playground  # noqa: E402


def test_training_learns_moons():
    pg = Playground("moons", hidden=(8, 8), activation="tanh", learning_rate=0.03)
    before = pg.accuracy
    history = pg.train(40)
    assert pg.epoch == 40 and len(history["loss"]) == 40 and len(history["accuracy"]) == 40
    assert history["loss"][-1] < history["loss"][0]
    assert pg.accuracy > 0.95 and pg.accuracy > before


def test_train_continues_where_it_stopped():
    pg = Playground("circles", hidden=(8,), learning_rate=0.05)
    pg.train(5)
    w = pg.model.get_weights()[0].copy()
    pg.train(5)
    assert pg.epoch == 10 and not np.array_equal(w, pg.model.get_weights()[0])


def test_same_seed_same_run_and_reset():
    a = Playground("spirals", hidden=(16,), activation="relu", learning_rate=0.01, seed=3)
    b = Playground("spirals", hidden=(16,), activation="relu", learning_rate=0.01, seed=3)
    assert a.train(5)["loss"] == b.train(5)["loss"]
    a.reset()
    assert a.epoch == 0 and a.history == {"loss": [], "accuracy": []}
    assert a.train(5)["loss"] == b.history["loss"]


def test_no_hidden_layer_cannot_solve_xor_but_one_can():
    linear = Playground("xor", hidden=(), learning_rate=0.05)
    linear.train(30)
    deep = Playground("xor", hidden=(8,), activation="tanh", learning_rate=0.05)
    deep.train(30)
    assert linear.accuracy < 0.75 and deep.accuracy > 0.9


def test_divergence_stops_with_a_message():
    pg = Playground("moons", hidden=(16, 16), activation="relu", optimizer="sgd", learning_rate=100)
    with np.errstate(all="ignore"):
        pg.train(20)
    assert "lower learning rate" in pg.message and pg.epoch < 20
    pg.train(5)  # refuses to go on until reset
    assert pg.epoch < 20 and pg.reset().message == ""


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"dataset": "iris"}, "valid choices are ['moons'"),
        ({"activation": "swish"}, "valid choices are ['tanh'"),
        ({"optimizer": "rmsprop"}, "['adam', 'sgd']"),
        ({"hidden": (8, 0)}, "positive ints"),
        ({"learning_rate": -1}, "> 0"),
    ],
)
def test_bad_settings_are_rejected(kwargs, words):
    with pytest.raises(ValueError) as err:
        Playground(**kwargs)
    assert words in str(err.value)


def test_train_rejects_bad_epochs():
    with pytest.raises(ValueError, match="positive int"):
        Playground().train(0)


def test_draw_has_titles_and_labels():
    pg = Playground("blobs", hidden=(4,))
    pg.train(2)
    fig = pg.draw()
    ax1, ax2 = fig.axes[:2]
    assert "epoch 2" in ax1.get_title() and ax1.get_xlabel() == "$x_1$"
    assert ax2.get_xlabel() == "epoch" and ax2.get_title() == "Training loss"
    plt.close(fig)


def test_widget_buttons_and_controls():
    pg = Playground("moons", hidden=(8,), redraw_every=5)
    box = pg.widget
    assert "nnlib-playground" in box._dom_classes
    assert pg.widget is box  # built once
    pg.controls["epochs"].value = 10
    pg.train_button.click()
    assert pg.epoch == 10 and "epoch 10" in pg.status.value
    pg.controls["activation"].value = "relu"  # any change resets
    assert pg.epoch == 0 and pg.activation == "relu"
    pg.controls["layers"].value = 2
    pg.controls["neurons"].value = 5
    assert pg.hidden == (5, 5) and len(pg.model.layers) == 3
    pg.controls["dataset"].value = "spirals"
    assert pg.n_classes == 3 and pg.model.layers[-1].units == 3
    pg.train_button.click()
    assert pg.epoch == 10
    pg.reset_button.click()
    assert pg.epoch == 0
    assert set(pg.controls["dataset"].options) == set(DATASETS)
    assert set(pg.controls["activation"].options) == set(ACTIVATIONS)
    plt.close("all")
