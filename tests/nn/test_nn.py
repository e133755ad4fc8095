"""Unit tests for nnlib.nn, the NumPy network of lessons 1-6."""

import numpy as np
import pytest
from bench_numpy_net import targets as targets_for  # one source: benchmarks/

from nnlib import data, nn

ELEMENTWISE = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def numeric_derivative(f, z, eps=1e-6):
    return (f(z + eps) - f(z - eps)) / (2 * eps)


def small_model(hidden_act, out_act, loss, n_out=1, dtype="float64", seed=0):
    model = nn.Sequential(
        [nn.Dense(5, hidden_act, input_dim=3), nn.Dense(4, "tanh"), nn.Dense(n_out, out_act)],
        dtype=dtype,
        seed=seed,
    )
    model.compile(nn.SGD(0.1), loss=loss)
    return model


# --------------------------------------------------------------------------- activations


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_gradient_matches_finite_differences(name):
    f, f_grad = nn.get_activation(name)
    z = np.linspace(-3, 3, 41) + 0.013  # avoid the kink of relu exactly at 0
    assert np.allclose(f_grad(z), numeric_derivative(f, z), atol=1e-7)


@pytest.mark.parametrize("name", ELEMENTWISE + ["softmax", "step"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_keeps_shape_and_dtype(name, dtype):
    f, f_grad = nn.get_activation(name)
    z = np.random.default_rng(0).normal(size=(4, 3)).astype(dtype)
    assert f(z).shape == (4, 3) and f(z).dtype == dtype
    if f_grad is not None:
        assert f_grad(z).shape == (4, 3) and f_grad(z).dtype == dtype


def test_sigmoid_is_stable_for_large_inputs():
    with np.errstate(over="raise"):
        s = nn.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    assert np.allclose(s, [0.0, 0.5, 1.0])


def test_softmax_rows_sum_to_one_and_survive_large_logits():
    z = np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]])
    p = nn.softmax(z)
    assert np.all(np.isfinite(p))
    assert np.allclose(p.sum(axis=1), 1.0)
    # shifting the logits changes nothing
    assert np.allclose(p[0], nn.softmax(np.array([0.0, 1.0, 2.0])))


def test_softmax_backward_is_the_jacobian_vector_product():
    rng = np.random.default_rng(1)
    z, g = rng.normal(size=(1, 4)), rng.normal(size=(1, 4))
    layer = nn.Activation("softmax")
    layer.forward(z)
    got = layer.backward(g)
    p = nn.softmax(z)[0]
    jacobian = np.diag(p) - np.outer(p, p)
    assert np.allclose(got[0], jacobian @ g[0])


def test_step_has_zero_gradient():
    assert np.all(nn.step_grad(np.array([-1.0, 2.0])) == 0)
    assert list(nn.step(np.array([-1.0, 0.0, 2.0]))) == [0.0, 1.0, 1.0]


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="unknown activation 'relou'.*'relu'.*'sigmoid'"):
        nn.get_activation("relou")
    with pytest.raises(ValueError, match="valid names"):
        nn.Dense(3, activation="swishy")
    with pytest.raises(TypeError, match="got int"):
        nn.get_activation(3)


# --------------------------------------------------------------------------- losses


def test_loss_values_by_hand():
    y, p = np.array([[1.0], [0.0]]), np.array([[0.8], [0.4]])
    assert nn.mse(y, p) == pytest.approx((0.2**2 + 0.4**2) / 2)
    assert nn.binary_crossentropy(y, p) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    onehot = np.array([[1, 0, 0], [0, 0, 1]], dtype=float)
    expected = -(np.log(0.7) + np.log(0.8)) / 2
    assert nn.categorical_crossentropy(onehot, probs) == pytest.approx(expected)
    assert nn.sparse_categorical_crossentropy(np.array([0, 2]), probs) == pytest.approx(expected)


@pytest.mark.parametrize("name", sorted(nn.LOSSES))
def test_loss_gradient_matches_finite_differences(name):
    rng = np.random.default_rng(2)
    p = nn.softmax(rng.normal(size=(5, 3)))  # probabilities, valid for every loss
    y = targets_for(name, 5, 3, rng)
    if name == "binary_crossentropy":
        y = rng.integers(0, 2, size=(5, 3)).astype(float)
    loss, loss_grad = nn.get_loss(name)
    num = nn.numerical_gradient(lambda: loss(y, p), p)
    assert nn.relative_error(loss_grad(y, p), num) < 1e-6


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match="unknown loss 'cross_entropy'.*'binary_crossentropy'"):
        nn.get_loss("cross_entropy")
    model = nn.Sequential([nn.Dense(1, input_dim=2)])
    with pytest.raises(ValueError, match="valid names"):
        model.compile(loss="mae")
    with pytest.raises(TypeError, match="loss must be a name"):
        nn.get_loss(None)


# --------------------------------------------------------------------------- Dense


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dense_shapes_and_dtypes(dtype):
    model = nn.Sequential([nn.Dense(7, "relu", input_dim=3), nn.Dense(2)], dtype=dtype)
    X = np.ones((5, 3))
    out = model.predict(X)
    assert out.shape == (5, 2) and out.dtype == np.dtype(dtype)
    W, b = model.layers[0].params()
    assert W.shape == (3, 7) and b.shape == (7,) and W.dtype == np.dtype(dtype)
    assert model.count_params() == 3 * 7 + 7 + 7 * 2 + 2


def test_dense_rejects_wrong_input_naming_both_shapes():
    layer = nn.Dense(4)
    layer.build(3, np.random.default_rng(0), np.float64)
    with pytest.raises(ValueError, match=r"expects input of shape \(batch, 3\), got \(2, 5\)"):
        layer.forward(np.ones((2, 5)))


@pytest.mark.parametrize("units", [0, -3, 2.5, True, "8"])
def test_dense_rejects_bad_units(units):
    with pytest.raises(ValueError, match="units must be a positive int"):
        nn.Dense(units)


def test_dense_rejects_unknown_initializer():
    with pytest.raises(ValueError, match="glorot_uniform"):
        nn.Dense(3, kernel_initializer="xavier")


def test_dense_backward_by_hand():
    """dL/dW = x^T g, dL/db = sum of g over the batch, dL/dx = g W^T (linear activation)."""
    layer = nn.Dense(2)
    layer.build(3, np.random.default_rng(0), np.float64)
    x = np.arange(6.0).reshape(2, 3)
    g = np.array([[1.0, -1.0], [0.5, 2.0]])
    layer.forward(x)
    dx = layer.backward(g)
    assert np.allclose(layer.dW, x.T @ g)
    assert np.allclose(layer.db, g.sum(axis=0))
    assert np.allclose(dx, g @ layer.W.T)


# --------------------------------------------------------------------------- gradient checks


@pytest.mark.parametrize("hidden", ["linear", "sigmoid", "tanh", "relu", "leaky_relu"])
def test_gradient_check_every_hidden_activation(hidden):
    rng = np.random.default_rng(3)
    model = small_model(hidden, "linear", "mse", n_out=2)
    X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    errors = nn.gradient_check(model, X, y)
    assert len(errors) == 6
    assert max(errors) < 1e-6


@pytest.mark.parametrize(
    "out_act, loss, n_out",
    [
        ("linear", "mse", 2),
        ("sigmoid", "mse", 1),
        ("sigmoid", "binary_crossentropy", 1),  # fused (p - y) / n path
        ("softmax", "categorical_crossentropy", 3),  # fused
        ("softmax", "sparse_categorical_crossentropy", 3),  # fused
        ("softmax", "mse", 3),  # softmax Jacobian-vector product path
        ("tanh", "mse", 2),
    ],
)
def test_gradient_check_every_output_and_loss(out_act, loss, n_out):
    rng = np.random.default_rng(4)
    model = small_model("tanh", out_act, loss, n_out=n_out)
    X = rng.normal(size=(10, 3))
    y = targets_for(loss, 10, n_out, rng)
    assert max(nn.gradient_check(model, X, y)) < 1e-6


def test_fused_gradient_equals_the_long_way():
    rng = np.random.default_rng(5)
    model = small_model("relu", "softmax", "categorical_crossentropy", n_out=3)
    X, y = rng.normal(size=(6, 3)), targets_for("categorical_crossentropy", 6, 3, rng)
    out = model.forward(X)
    model.backward_from_loss(y, out)
    fused = [g.copy() for g in model.grads()]
    model.backward(model.loss_grad(y, out))  # dL/dp, then softmax's Jacobian
    for a, b in zip(fused, model.grads()):
        assert np.allclose(a, b, atol=1e-10)


def test_cross_entropy_gradient_does_not_vanish_when_confidently_wrong():
    model = nn.Sequential([nn.Dense(2, "softmax", input_dim=1)], dtype="float64")
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.set_weights([np.array([[50.0, -50.0]]), np.zeros(2)])
    X, y = np.array([[1.0]]), np.array([1])  # predicts class 0 with p = 1 - e^-100
    model.loss_and_grads(X, y)
    dW = model.grads()[0]
    assert np.allclose(dW, [[1.0, -1.0]])  # (p - y) x: as large as it can be


def test_gradient_check_catches_a_wrong_gradient():
    rng = np.random.default_rng(6)
    model = small_model("tanh", "linear", "mse", n_out=1)
    layer = model.layers[1]
    original = layer.backward_z
    layer.backward_z = lambda g, input_grad=True: original(2 * g, input_grad)  # a bug
    errors = nn.gradient_check(model, rng.normal(size=(5, 3)), rng.normal(size=(5, 1)))
    assert max(errors) > 1e-2


# --------------------------------------------------------------------------- optimizers


def test_sgd_step_in_place():
    p, g = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    before = p
    nn.SGD(0.1).update([p], [g])
    assert p is before and np.allclose(p, [0.95, 2.1])


def test_sgd_momentum_accumulates_velocity():
    p, g = np.array([0.0]), np.array([1.0])
    opt = nn.SGD(0.1, momentum=0.9)
    opt.update([p], [g])
    opt.update([p], [g])
    assert np.allclose(p, [-0.1 - (0.9 * 0.1 + 0.1)])


def test_adam_first_step_moves_each_parameter_by_about_lr():
    p = np.array([1.0, 1.0, 1.0])
    nn.Adam(0.01).update([p], [np.array([0.5, -5.0, 200.0])])
    assert np.allclose(p, [0.99, 1.01, 0.99], atol=1e-6)


def test_adam_keeps_float32_parameters_float32():
    p = np.ones(3, dtype=np.float32)
    opt = nn.Adam(0.01)
    for _ in range(3):
        opt.update([p], [np.ones(3, dtype=np.float32)])
    assert p.dtype == np.float32


@pytest.mark.parametrize("make", [lambda: nn.SGD(0), lambda: nn.Adam(-1), lambda: nn.SGD(0.1, 1.0)])
def test_optimizers_reject_bad_settings(make):
    with pytest.raises(ValueError, match="must be"):
        make()


def test_unknown_optimizer_lists_valid_names():
    with pytest.raises(ValueError, match="valid names are \\['adam', 'sgd'\\]"):
        nn.get_optimizer("rmsprop")
    with pytest.raises(TypeError, match="update"):
        nn.get_optimizer(42)


# --------------------------------------------------------------------------- Sequential


def xor_model(seed=0):
    model = nn.Sequential(
        [nn.Dense(8, "tanh", input_dim=2), nn.Dense(1, "sigmoid")], dtype="float64", seed=seed
    )
    model.compile(nn.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    return model


def test_fit_learns_xor_and_records_history():
    X, y = data.xor_data()
    model = xor_model()
    history = model.fit(X, y, epochs=300, batch_size=4)
    assert set(history.history) == {"loss", "accuracy"}
    assert len(history.history["loss"]) == 300 and history.epoch[-1] == 299
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
    loss, acc = model.evaluate(X, y)
    assert acc == 1.0 and loss < 0.1
    assert np.array_equal((model.predict(X)[:, 0] > 0.5).astype(int), y)


def test_fit_with_validation_data_and_batched_predict():
    (X, y), (Xv, yv) = data.train_val_split(*data.make_moons(200, seed=1), seed=1)
    model = nn.Sequential([nn.Dense(16, "relu", input_dim=2), nn.Dense(2, "softmax")], seed=1)
    model.compile(nn.Adam(0.02), "sparse_categorical_crossentropy", ["accuracy"])
    h = model.fit(X, y, epochs=30, batch_size=16, validation_data=(Xv, yv))
    assert set(h.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert h.history["val_accuracy"][-1] > 0.8
    assert np.allclose(model.predict(Xv, batch_size=7), model.predict(Xv), atol=1e-6)
    assert model.predict(Xv).dtype == np.float32


def test_fit_is_deterministic_with_a_seed():
    X, y = data.make_spirals(90, seed=0)

    def run(seed):
        m = nn.Sequential([nn.Dense(10, "relu", input_dim=2), nn.Dense(3, "softmax")], seed=seed)
        m.compile(nn.SGD(0.1, momentum=0.9), "sparse_categorical_crossentropy")
        m.fit(X, y, epochs=5, batch_size=16)
        return m.get_weights()

    a, b, c = run(0), run(0), run(1)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_get_and_set_weights():
    model = xor_model()
    weights = model.get_weights()
    weights[0][0, 0] += 1.0  # a copy: the model is unchanged
    assert model.layers[0].W[0, 0] != weights[0][0, 0]
    model.set_weights(weights)
    assert model.layers[0].W[0, 0] == weights[0][0, 0]
    with pytest.raises(ValueError, match="expected 4 arrays, got 1"):
        model.set_weights(weights[:1])
    with pytest.raises(ValueError, match=r"shape \(2, 8\) cannot be set from shape \(3, 8\)"):
        model.set_weights([np.zeros((3, 8))] + weights[1:])


def test_fit_names_both_shapes_for_mismatched_inputs():
    model = xor_model()
    X, y = data.xor_data()
    with pytest.raises(ValueError, match=r"expects X of shape \(n, 2\), got \(4, 3\)"):
        model.fit(np.ones((4, 3)), y)
    with pytest.raises(ValueError, match="same number of samples, got 4 and 3"):
        model.fit(X, y[:3])
    with pytest.raises(ValueError, match=r"y must have shape \(4, 1\).*got \(4, 2\)"):
        model.fit(X, np.ones((4, 2)))
    with pytest.raises(ValueError, match="flatten images first"):
        model.predict(np.ones((4, 2, 2)))
    with pytest.raises(TypeError, match="must hold numbers"):
        model.predict(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="NumPy array"):
        model.predict("X")


def test_fit_explains_label_problems():
    model = nn.Sequential([nn.Dense(3, "softmax", input_dim=2)])
    model.compile("adam", "categorical_crossentropy")
    X, y = data.make_spirals(30)
    with pytest.raises(ValueError, match="one-hot encode"):
        model.fit(X, y)
    model.compile("adam", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"labels must be in 0..2 for 3 outputs, got 1..5"):
        model.fit(X, y * 2 + 1)


@pytest.mark.parametrize("kwargs", [{"epochs": 0}, {"epochs": 1.5}, {"batch_size": 0}])
def test_fit_rejects_bad_epochs_and_batch_size(kwargs):
    model = xor_model()
    with pytest.raises(ValueError, match="positive int"):
        model.fit(*data.xor_data(), **kwargs)


def test_training_before_compile_says_what_to_do():
    model = nn.Sequential([nn.Dense(1, input_dim=2)])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(*data.xor_data())


def test_nan_stops_training_and_suggests_a_lower_learning_rate(capsys):
    X, y = data.make_regression_1d(64, seed=0)
    model = nn.Sequential([nn.Dense(32, "relu", input_dim=1), nn.Dense(1)], seed=0)
    model.compile(nn.SGD(1e3), "mse")
    with np.errstate(all="ignore"):
        history = model.fit(X * 100, y, epochs=50, batch_size=8)
    assert history.stopped_reason is not None
    assert "lower learning rate" in history.stopped_reason and "1000" in history.stopped_reason
    assert len(history.history.get("loss", [])) < 50
    printed = capsys.readouterr().out.strip().splitlines()  # one line, not a traceback
    assert len(printed) == 1 and printed[0] == history.stopped_reason


def test_callbacks_can_stop_training():
    class StopAfterThree:
        def set_model(self, model):
            self.model = model

        def on_epoch_end(self, epoch, logs):
            self.seen = logs
            if epoch == 2:
                self.model.stop_training = True

    cb = StopAfterThree()
    history = xor_model().fit(*data.xor_data(), epochs=100, callbacks=[cb])
    assert len(history.history["loss"]) == 3 and "loss" in cb.seen


def test_add_rejects_non_layers_and_summary_prints(capsys):
    with pytest.raises(TypeError, match="expected a layer such as Dense"):
        nn.Sequential([np.ones(3)])
    xor_model().summary()
    out = capsys.readouterr().out
    assert "Dense(8, tanh)" in out and "Total params: 33" in out


def test_float32_training_stays_float32():
    X, y = data.make_moons(64)
    model = nn.Sequential([nn.Dense(8, "relu", input_dim=2), nn.Dense(1, "sigmoid")])
    model.compile(nn.Adam(0.01), "binary_crossentropy")
    model.fit(X, y, epochs=2, batch_size=16)
    assert all(p.dtype == np.float32 for p in model.params())
    assert all(g.dtype == np.float32 for g in model.grads())


def test_bad_dtype_is_rejected():
    with pytest.raises(ValueError, match="float32' or 'float64'"):
        nn.Sequential(dtype="int32")


def test_fit_runs_blas_on_blas_threads_and_restores_it(monkeypatch):
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads():
        info = threadpoolctl.threadpool_info()
        return [i["num_threads"] for i in info if i["user_api"] == "blas"]

    before = blas_threads()
    seen = []

    class Spy:
        def on_epoch_end(self, epoch, logs):
            seen.append(blas_threads())

    model = xor_model()
    model.fit(*data.xor_data(), epochs=2, callbacks=[Spy()])
    assert seen and all(t == [1] * len(before) for t in seen)
    assert blas_threads() == before
    monkeypatch.setattr(nn, "BLAS_THREADS", None)
    seen.clear()
    model.fit(*data.xor_data(), epochs=1, callbacks=[Spy()])
    assert seen == [before]
