"""nnlib.widgets.playground: the headless API and the widget (driven without a browser)."""

import asyncio
import threading
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib.widgets.playground import ACTIVATIONS, DATASETS, Playground, failure_message  # noqa: E402


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
    pg = Playground("moons", hidden=(8,))
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


# ---------------------------------------------------------------- animated training (asyncio)


def _weights(pg):
    return [w.copy() for w in pg.model.get_weights()]


def _same_weights(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def _spirals(**kw):
    return Playground("spirals", hidden=(8,), activation="relu", learning_rate=0.01, **kw)


async def _until(condition, timeout=30.0):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        assert loop.time() < end, "condition not reached in time"
        await asyncio.sleep(0.001)


def test_start_pause_resume_stop_and_the_same_model_as_a_synchronous_run():
    async def scenario():
        pg = _spirals(frame_interval=0.0)
        pg.widget  # noqa: B018 - build the widget: frames go to its image
        task = pg.start(20)
        assert isinstance(task, asyncio.Task) and pg.state == "running"
        assert pg.train_button.description == "Pause" and not pg.stop_button.disabled
        await _until(lambda: pg.epoch >= 5)
        pg.train_button.click()  # = pause()
        assert pg.state == "paused" and pg.train_button.description == "Resume"
        paused_at = pg.epoch
        await asyncio.sleep(0.2)  # paused: no epochs while the loop runs other work
        assert pg.epoch == paused_at and "paused" in pg.status.value
        assert f"{20 - paused_at} epochs left" in pg.status.value
        pg.train_button.click()  # = resume()
        await task
        assert pg.state == "idle" and pg.epoch == 20 and pg.train_button.description == "Train"
        assert pg.stop_button.disabled and "epoch 20 " in pg.status.value
        assert "Training loss" in pg.image.tooltip and "epoch 20 " in pg.image.tooltip  # alt text
        return pg

    pg = asyncio.run(scenario())
    sync = _spirals()
    sync.train(20)
    assert _same_weights(_weights(pg), _weights(sync))
    assert pg.history == sync.history


def _interrupted(action, at_epoch):
    """Start a long run in the widget, do ``action(pg)`` once it reaches ``at_epoch``, and
    return the playground after the run has ended."""

    async def scenario():
        pg = _spirals(frame_interval=0.0)
        pg.widget  # noqa: B018
        task = pg.start(5000)
        await _until(lambda: pg.epoch >= at_epoch)
        action(pg)
        await task
        return pg

    return asyncio.run(scenario())


def test_stop_ends_the_run_and_keeps_the_weights():
    pg = _interrupted(lambda pg: pg.stop_button.click(), at_epoch=3)
    assert pg.state == "idle" and 3 <= pg.epoch < 5000 and pg.remaining == 0
    sync = _spirals()
    sync.train(pg.epoch)
    assert _same_weights(_weights(pg), _weights(sync))


def test_training_yields_to_other_work_between_frames():
    async def scenario():
        pg = _spirals(frame_interval=0.0)  # a frame (and a yield) after every epoch
        ticks = []

        async def other_widget():  # stands for the kernel answering another slider
            while pg.state != "idle" or not ticks:
                ticks.append(pg.epoch)
                await asyncio.sleep(0)

        task = pg.start(60)
        await asyncio.gather(task, other_widget())
        return pg, ticks

    pg, ticks = asyncio.run(scenario())
    assert pg.epoch == 60
    assert len(set(ticks)) >= 3  # the other task ran at several different epochs


def test_reset_or_a_new_setting_stops_a_running_task():
    def new_setting(pg):  # any setting resets
        pg.controls["learning_rate"].value = 0.1

    pg = _interrupted(new_setting, at_epoch=2)
    assert pg.state == "idle" and pg.epoch == 0 and pg.learning_rate == pytest.approx(0.1)


def test_frames_come_by_time_not_by_epochs():
    slow = _spirals(frame_interval=3600.0)
    slow.widget  # noqa: B018 - frames are drawn for the widget
    slow.start(20)  # no event loop: runs now
    assert slow.epoch == 20 and slow.frames == 1  # only the final frame
    fast = _spirals(frame_interval=0.0)
    fast.widget  # noqa: B018
    fast.start(8)  # (each frame is a drawn PNG: 8 epochs show it as well as 20)
    assert fast.frames == 9  # a frame after every epoch, and the final one
    assert fast.last_run_seconds > 0


def test_frame_updates_the_same_figure_in_place():
    pg = _spirals()
    first = pg.frame()
    assert first.startswith(b"\x89PNG")
    fig, image = pg._fig, pg._boundary.get_array().copy()
    pg.train(30)
    second = pg.frame()
    assert pg._fig is fig and second != first  # same figure, new picture
    assert not np.array_equal(pg._boundary.get_array(), image)  # the boundary moved
    assert "epoch 30" in pg._axes[0].get_title()
    assert len(pg._loss_line.get_xdata()) == 30
    pg.learning_rate = 0.02
    pg.reset()
    assert pg._fig is fig and len(pg._loss_line.get_xdata()) == 30  # same data: same figure
    pg.frame()
    assert len(pg._loss_line.get_xdata()) == 0  # ... with the loss curve starting over
    pg.dataset = "moons"  # new data: the same figure, new points, extent and legend
    pg.reset()
    pg.frame()
    assert pg._fig is fig and len(pg._points) == 2 == len(pg._legend.get_texts())
    for c, points in enumerate(pg._points):
        np.testing.assert_array_equal(points.get_offsets(), pg.X[pg.y == c])
    x0, x1, y0, y1 = pg._boundary.get_extent()
    assert x0 < pg.X[:, 0].min() and x1 > pg.X[:, 0].max() and y0 < pg.X[:, 1].min()
    assert pg._grid[:, 0].min() == x0 and pg._grid[:, 1].max() == y1
    assert pg._axes[0].get_xlim() == (x0, x1)
    labels = pg.model.predict(pg._grid).argmax(axis=1).reshape(pg.resolution, pg.resolution)
    np.testing.assert_array_equal(pg._boundary.get_array(), labels)


def test_start_rejects_bad_epochs_and_a_second_start():
    pg = _spirals()
    with pytest.raises(ValueError, match="positive int"):
        pg.start(0)

    async def scenario():
        task = pg.start(1000)
        with pytest.raises(RuntimeError, match="already training"):
            pg.start(10)
        pg.stop()
        await task

    asyncio.run(scenario())


# ---------------------------------------------------------------- widget messages from two threads


def test_a_reset_from_another_thread_never_trains_the_new_network():
    """JupyterLab 4.4+ sends widget messages to a kernel *subshell* (setting commsOverSubshells,
    default "perCommTarget"; ipykernel 7 runs each subshell in its own thread with its own event
    loop), so a Train click can start the run in one thread while a slider's reset arrives in
    another.  Found by tests/browser/test_browser_playground.py: a reset that landed inside an epoch let
    the old run finish that epoch on the new network ("epoch 1" after a reset) and draw the
    figure from two threads at once.  Here the run lives in a second thread's event loop and the
    resets come from this one."""
    pg = _spirals(frame_interval=0.05)
    pg.widget  # noqa: B018
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    rates = [0.02, 0.01]
    try:
        for k in range(12):
            loop.call_soon_threadsafe(pg.start, 100_000)
            _wait(lambda: pg.epoch >= 3)
            pg.controls["learning_rate"].value = rates[k % 2]  # resets, from this thread
            time.sleep(0.03)  # the old run would go on here
            assert pg.state == "idle" and pg.message == "", (k, pg.state, pg.message)
            assert pg.epoch == 0 and pg.history == {"loss": [], "accuracy": []}, (k, pg.epoch)
            assert "epoch 0 " in pg.status.value, pg.status.value
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def _wait(condition, timeout=30.0):
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "condition not reached in time"
        time.sleep(0.001)


# ---------------------------------------------------------------- hidden neuron views


def _tiles_expected(pg):
    """What the tiles should show, computed from the weights: each neuron of the first hidden
    layer over the grid (x2 upwards), every 4th point, scaled to its largest |output|."""
    res = pg.resolution
    pts = pg._grid.reshape(res, res, 2)[::-4, ::4].reshape(-1, 2)
    layer = pg.model.layers[0]
    z = pts @ layer.W + layer.b
    act = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0)}[pg.activation](z)
    act = act / np.abs(act).max(axis=0)
    return act.T.reshape(len(layer.b), res // 4, res // 4)


def _tile(pg, j):
    units, rows, cols, t, _ = pg._neurons_key
    top = pg._mosaic.shape[1] - t - 2
    r, c = divmod(j, cols)
    return pg._mosaic[r, top + 1 : top + 1 + t, c, 1 : 1 + t]


def test_neuron_outputs_are_the_first_hidden_layer_over_the_plane():
    pg = Playground("circles", hidden=(5, 3), activation="tanh", learning_rate=0.03)
    pg.train(3)
    pts = np.random.default_rng(0).normal(size=(7, 2))
    layer = pg.model.layers[0]
    expected = np.tanh(pts @ layer.W + layer.b).T
    np.testing.assert_allclose(pg.neuron_outputs(pts), expected, rtol=1e-12)
    assert pg.neuron_outputs(pts).shape == (5, 7)
    assert Playground("circles", hidden=()).neuron_outputs(pts) is None
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        pg.neuron_outputs(np.zeros(3))


def test_neuron_tiles_show_each_neuron_and_are_updated_in_place():
    pg = Playground("spirals", hidden=(6,), activation="relu", learning_rate=0.01)
    pg.widget  # noqa: B018 - the widget draws a frame: boundary and neurons
    assert pg.neurons_image.layout.display is None and pg.neuron_frames == 1
    assert bytes(pg.neurons_image.value).startswith(b"\x89PNG")
    assert "Hidden layer 1" in pg.neurons_image.tooltip  # its text alternative
    mosaic, fig, first = pg._mosaic, pg._neurons_fig, bytes(pg.neurons_image.value)
    for j in range(6):
        np.testing.assert_allclose(_tile(pg, j), _tiles_expected(pg)[j], atol=1e-12)
    before = _tile(pg, 0).copy()
    pg.start(30)  # frames by time: at least the last one
    assert pg._mosaic is mosaic and pg._neurons_fig is fig  # the same arrays and figure
    assert pg.neuron_frames >= 2 and bytes(pg.neurons_image.value) != first
    assert not np.array_equal(_tile(pg, 0), before)  # the neuron moved with training
    for j in range(6):
        np.testing.assert_allclose(_tile(pg, j), _tiles_expected(pg)[j], atol=1e-12)
    # white 0 < blue, orange < 0: a ReLU neuron is never negative
    assert np.nanmin(_tile(pg, 0)) >= 0 and np.nanmax(_tile(pg, 0)) == pytest.approx(1.0)


def test_neuron_views_switch_off_and_follow_the_network():
    pg = Playground("moons", hidden=(4,), activation="tanh", neuron_views=False)
    pg.widget  # noqa: B018
    pg.start(10)
    assert pg.neuron_frames == 0 and pg.neurons_image.layout.display == "none"
    pg.neurons_checkbox.value = True  # on: drawn now, from the weights now
    assert pg.neuron_frames == 1 and pg.neurons_image.layout.display is None
    np.testing.assert_allclose(_tile(pg, 3), _tiles_expected(pg)[3], atol=1e-12)
    W = pg.model.layers[0].W  # the picture's orientation: x1 to the right, x2 up
    for j in range(4):
        tile = _tile(pg, j)
        assert np.sign(tile[:, -1].mean() - tile[:, 0].mean()) == np.sign(W[0, j])
        assert np.sign(tile[0].mean() - tile[-1].mean()) == np.sign(W[1, j])
    pg.controls["neurons"].value = 20  # 20 neurons: two rows of 10 tiles
    assert pg._neurons_key[:3] == (20, 2, 10)
    np.testing.assert_allclose(_tile(pg, 19), _tiles_expected(pg)[19], atol=1e-12)
    pg.controls["layers"].value = 0  # no hidden layer: nothing to show
    assert pg.neurons_image.layout.display == "none"
    pg.neurons_checkbox.value = False
    pg.controls["layers"].value = 1
    assert pg.neurons_image.layout.display == "none"


def test_a_failed_run_says_which_exception_even_without_a_message():
    assert failure_message(KeyError()).startswith("Training failed: KeyError: no message.")
    assert "ValueError: bad shape" in failure_message(ValueError("bad shape"))

    async def scenario():
        pg = _spirals(frame_interval=0.0)
        pg.widget  # noqa: B018
        fit = pg.model.fit

        def flaky(*args, **kwargs):
            if pg.epoch == 3:
                raise RuntimeError()  # str() of it is empty
            return fit(*args, **kwargs)

        pg.model.fit = flaky
        task = pg.start(10)
        with pytest.raises(RuntimeError):
            await task
        return pg

    pg = asyncio.run(scenario())
    assert pg.state == "idle" and pg.epoch == 3 and pg.train_button.description == "Train"
    assert pg.status.value.startswith("Training failed: RuntimeError: no message."), pg.status.value
    assert "Press Reset" in pg.status.value
    pg.train(2)  # refuses until a reset
    assert pg.epoch == 3 and pg.reset().message == ""
