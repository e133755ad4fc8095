"""The mistakes learners make, across the API they touch (issue 14, item 1).

Each mistake is one case.  Where the input is wrong, the outcome is a ``ValueError`` or
``TypeError`` whose message names what was expected, what was given and the likely fix: every
case lists the parts of the message it needs (regular expressions, case-insensitive), not just
the type.  Where the input is valid (a list instead of an array, labels of shape (n,) for an
output of shape (n, 1) ...), the case checks that the result is right.

Run alone: ``pytest tests/api/test_learner_mistakes.py`` (a few seconds; part of ``make test``).
"""

import re

import numpy as np
import pytest

from nnlib import data, nn, widgets
from nnlib.exercises import check, hint, solution
from nnlib.nn import metrics
from nnlib.show import plotting
from nnlib.show.liveplot import LiveCurves
from nnlib.widgets.playground import Playground

X4, Y4 = data.xor_data()  # (4, 2) float64, (4,) int64


def binary_model(compiled=True, metrics_=("accuracy",)):
    model = nn.Sequential([nn.Dense(4, "tanh", input_dim=2), nn.Dense(1, "sigmoid")], seed=0)
    if compiled:
        model.compile(nn.Adam(0.05), "binary_crossentropy", list(metrics_))
    return model


def three_class_model(loss="sparse_categorical_crossentropy"):
    model = nn.Sequential([nn.Dense(3, "softmax", input_dim=2)], seed=0)
    return model.compile("adam", loss)


def unbuilt_model():
    return nn.Sequential([nn.Dense(4, "relu"), nn.Dense(1)])


def with_nan(X, value=np.nan, row=3):
    X = X.astype(float).copy()
    X[row, 0] = value
    return X


class _KerasLike:  # stands in for a Keras object: its class lives in the keras package
    __module__ = "keras.src.layers.core.dense"


class _KerasOptimizer:
    __module__ = "keras.src.optimizers.adam"

    def apply_gradients(self, pairs):
        pass


def _fit(model=None, X=X4, y=Y4, **kwargs):
    model = model or binary_model()
    return lambda: model.fit(X, y, **kwargs)


# (id, function, exception, parts of the message: what was expected, what was given, the fix)
# fmt: off
ERRORS = [
    # ------------------------------------------------------------------ building a model
    ("sequential_of_one_layer", lambda: nn.Sequential(nn.Dense(3)), TypeError, ["list of layers", "single layer", r"Sequential\(\[Dense"]),
    ("sequential_of_a_layer_class", lambda: nn.Sequential([nn.Dense]), TypeError, ["layer such as Dense", "the class Dense", r"Dense\(units"]),
    ("sequential_of_the_class_alone", lambda: nn.Sequential(nn.Dense), TypeError, ["list of layers", "class Dense", r"Sequential\(\["]),
    ("sequential_of_an_array", lambda: nn.Sequential([np.ones(3)]), TypeError, ["layer such as Dense", "ndarray", "nnlib.nn.Dense"]),
    ("sequential_of_a_string", lambda: nn.Sequential("dense"), TypeError, ["list of layers", "string 'dense'", r"Sequential\(\[Dense"]),
    ("sequential_of_a_number", lambda: nn.Sequential(3), TypeError, ["list of layers", "3", r"Sequential\(\["]),
    ("sequential_int_dtype", lambda: nn.Sequential(dtype="int32"), ValueError, ["'float32' or 'float64'", "int32", "leave it out"]),
    ("sequential_unknown_dtype", lambda: nn.Sequential(dtype="float33"), ValueError, ["'float32' or 'float64'", "float33", "leave it out"]),
    ("add_a_string", lambda: nn.Sequential().add("Dense"), TypeError, ["layer such as Dense", "str", "nnlib.nn.Dense"]),
    ("add_a_keras_layer", lambda: nn.Sequential([_KerasLike()]), TypeError, ["layer such as Dense", "_KerasLike", "Keras layer.*keras.Sequential"]),
    ("same_layer_twice", lambda: (lambda d: nn.Sequential([d, d]))(nn.Dense(2, input_dim=2)), ValueError, ["new layer", "second time", "create a new layer"]),
    ("input_dim_on_a_later_layer", lambda: nn.Sequential([nn.Dense(3, input_dim=2), nn.Dense(1, input_dim=5)]), ValueError, ["input_dim=5", "has 3 outputs", "only to the first layer"]),
    ("dense_zero_units", lambda: nn.Dense(0), ValueError, ["units must be a positive int", "got 0", "Fix: Dense"]),
    ("dense_float_units", lambda: nn.Dense(2.5), ValueError, ["units must be a positive int", "2.5", "as an int"]),
    ("dense_bool_units", lambda: nn.Dense(True), ValueError, ["units must be a positive int", "True", "Fix"]),
    ("dense_activation_first", lambda: nn.Dense("relu", 3), ValueError, ["units must be a positive int", "string 'relu'", "units first"]),
    ("dense_activation_in_capitals", lambda: nn.Dense(3, activation="ReLU"), ValueError, ["unknown activation 'ReLU'", "valid names are", "did you mean 'relu'"]),
    ("dense_activation_typo", lambda: nn.Dense(3, activation="sigmoidd"), ValueError, ["unknown activation 'sigmoidd'", "valid names are", "did you mean 'sigmoid'"]),
    ("dense_activation_function", lambda: nn.Dense(3, activation=nn.relu), TypeError, ["must be a name", "the function relu", "activation='relu'"]),
    ("dense_activation_number", lambda: nn.Dense(3, activation=1), TypeError, ["must be a name", "got int", "pass the name"]),
    ("dense_input_dim_as_shape", lambda: nn.Dense(3, input_dim=(2,)), ValueError, ["input_dim must be a positive int", r"\(2,\)", "input_dim=2"]),
    ("dense_input_dim_zero", lambda: nn.Dense(3, input_dim=0), ValueError, ["input_dim must be a positive int", "got 0", "number of input features"]),
    ("dense_unknown_initializer", lambda: nn.Dense(3, kernel_initializer="xavier"), ValueError, ["unknown kernel_initializer 'xavier'", "glorot_uniform", "leave it out"]),
    # ------------------------------------------------------------------ before the model is ready
    ("get_weights_before_built", lambda: unbuilt_model().get_weights(), ValueError, ["not built yet", "input_dim on the first layer", r"model\.build\(n_features\)"]),
    ("count_params_before_built", lambda: unbuilt_model().count_params(), ValueError, ["count_params", "not built yet", r"input_dim=n_features"]),
    ("set_weights_before_built", lambda: unbuilt_model().set_weights([]), ValueError, ["set_weights", "not built yet", r"model\.build"]),
    ("get_weights_of_an_empty_model", lambda: nn.Sequential().get_weights(), ValueError, ["needs a model with layers", "empty Sequential", r"model\.add\(Dense"]),
    ("compile_an_empty_model", lambda: nn.Sequential().compile("adam", "mse"), ValueError, ["needs a model with layers", "empty Sequential", r"model\.add"]),
    ("fit_before_compile", _fit(binary_model(compiled=False)), ValueError, ["not compiled", r"expected model\.compile", r"model\.compile\(optimizer=\.\.\., loss"]),
    ("fit_before_compile_is_a_runtime_error_too", _fit(binary_model(compiled=False)), RuntimeError, ["not compiled", r"compile\("]),
    ("evaluate_before_compile", lambda: binary_model(compiled=False).evaluate(X4, Y4), ValueError, ["not compiled", r"model\.compile"]),
    ("train_on_batch_before_compile", lambda: binary_model(False).train_on_batch(X4, Y4), ValueError, ["not compiled", r"model\.compile"]),
    # ------------------------------------------------------------------ compile
    ("optimizer_class_not_instance", lambda: binary_model(False).compile(optimizer=nn.Adam, loss="binary_crossentropy"), TypeError, ["optimizer object or a name", "the class Adam", r"Adam\(\)"]),
    ("sgd_class_not_instance", lambda: binary_model(False).compile(nn.SGD, "mse"), TypeError, ["optimizer object", "the class SGD", r"SGD\(learning_rate=0.01\)"]),
    ("optimizer_unknown_name", lambda: binary_model(False).compile("adamw", "mse"), ValueError, ["unknown optimizer 'adamw'", r"valid names are \['adam', 'sgd'\]", "did you mean 'adam'"]),
    ("optimizer_name_in_capitals", lambda: binary_model(False).compile("Adam", "mse"), ValueError, ["unknown optimizer 'Adam'", "valid names", "did you mean 'adam'"]),
    ("optimizer_a_number", lambda: binary_model(False).compile(0.01, "mse"), TypeError, [r"\.update\(\)", "0.01", "optimizer='adam'"]),
    ("optimizer_from_keras", lambda: binary_model(False).compile(_KerasOptimizer(), "mse"), TypeError, ["nnlib optimizer", "Keras _KerasOptimizer", r"nn\._KerasOptimizer|'adam'"]),
    ("loss_unknown_name", lambda: binary_model(False).compile("adam", "binary_cross_entropy"), ValueError, [ "unknown loss 'binary_cross_entropy'", "valid names", "did you mean 'binary_crossentropy'", ]),
    ("loss_in_capitals", lambda: binary_model(False).compile("adam", "MSE"), ValueError, ["unknown loss 'MSE'", "valid names", "did you mean 'mse'"]),
    ("loss_function_not_name", lambda: binary_model(False).compile("adam", nn.mse), TypeError, ["must be a name", "the function mse", "loss='mse'"]),
    ("loss_none", lambda: binary_model(False).compile("adam", None), TypeError, ["must be a name", "None", "one of"]),
    ("metrics_a_string", lambda: binary_model(False).compile("adam", "mse", "accuracy"), TypeError, ["list of names", "string 'accuracy'", r"metrics=\['accuracy'\]"]),
    ("metrics_unknown", lambda: binary_model(False).compile("adam", "mse", ["mae"]), ValueError, ["unknown metric 'mae'", r"\['accuracy'\]", "loss is always reported"]),
    ("softmax_of_one_output_with_bce", lambda: nn.Sequential([nn.Dense(1, "softmax", input_dim=2)]).compile( "adam", "binary_crossentropy" ), ValueError, ["always 1.0", "got Dense\\(1, 'softmax'\\)", "Dense\\(1, activation='sigmoid'\\)"]),
    ("softmax_of_one_output_with_mse", lambda: nn.Sequential([nn.Dense(1, "softmax", input_dim=2)]).compile("adam", "mse"), ValueError, ["always 1.0", "Dense\\(k, 'softmax'\\)", "Fix"]),
    ("bce_on_a_linear_output", lambda: nn.Sequential([nn.Dense(1, input_dim=2)]).compile("adam", "binary_crossentropy"), ValueError, ["probabilities", "'linear'", "activation='sigmoid'"]),
    ("bce_on_a_relu_output", lambda: nn.Sequential([nn.Dense(1, "relu", input_dim=2)]).compile( "adam", "binary_crossentropy" ), ValueError, ["a sigmoid", "'relu'", "Dense\\(1, activation='sigmoid'\\)"]),
    ("categorical_on_one_output", lambda: nn.Sequential([nn.Dense(1, "sigmoid", input_dim=2)]).compile( "adam", "categorical_crossentropy" ), ValueError, [ "one output per class", "Dense\\(1\\)", "binary_crossentropy with Dense\\(1, 'sigmoid'\\)", ]),
    ("sparse_on_a_relu_output", lambda: nn.Sequential([nn.Dense(3, "relu", input_dim=2)]).compile( "adam", "sparse_categorical_crossentropy" ), ValueError, ["sum to 1 \\(a softmax\\)", "'relu'", "Dense\\(3, activation='softmax'\\)"]),
    # ------------------------------------------------------------------ fit: the data
    ("fit_with_a_single_callback", _fit(callbacks=LiveCurves(show=False)), TypeError, ["list of callbacks", "single LiveCurves", r"callbacks=\[LiveCurves\(\)\]"]),
    ("fit_with_a_callback_class", _fit(callbacks=[LiveCurves]), TypeError, ["callback objects", "the class LiveCurves", r"\[LiveCurves\(\)\]"]),
    ("fit_with_a_function_as_callback", _fit(callbacks=[print]), TypeError, ["on_epoch_end", "the function print", r"LiveCurves\(\)"]),
    ("fit_with_callbacks_a_string", _fit(callbacks="LiveCurves"), TypeError, ["list of callbacks", "string 'LiveCurves'", r"callbacks=\[LiveCurves\(\)\]"]),
    ("fit_on_empty_X", _fit(X=np.empty((0, 2)), y=np.empty(0)), ValueError, ["at least one sample", r"\(0, 2\)", "check the loading or the slice"]),
    ("fit_on_X_without_features", _fit(X=np.empty((4, 0))), ValueError, ["at least one sample and one feature", r"\(4, 0\)", "Fix"]),
    ("fit_on_X_with_nan", _fit(X=with_nan(X4)), ValueError, ["finite numbers", "1 NaN/inf", "row 3", r"np\.isfinite"]),
    ("fit_on_X_with_inf", _fit(X=with_nan(X4, np.inf, row=1)), ValueError, ["finite numbers", "row 1", "drop those rows"]),
    ("fit_on_y_with_nan", _fit(y=np.array([0.0, 1.0, np.nan, 0.0])), ValueError, ["y must hold finite numbers", "1 NaN/inf", "drop those samples"]),
    ("fit_on_1d_X", _fit(X=np.arange(4.0)), ValueError, [r"\(n_samples, n_features\)", r"got \(4,\)", r"X\.reshape\(-1, 1\)"]),
    ("fit_on_images", _fit(X=np.ones((4, 2, 2))), ValueError, [r"\(n_samples, n_features\)", r"\(4, 2, 2\)", "flatten images first"]),
    ("fit_on_a_scalar_X", _fit(X=np.float64(3.0)), ValueError, [r"\(n_samples, n_features\)", r"got \(\)", r"np\.array\(\[\[x\]\]\)"]),
    ("fit_on_text", _fit(X=np.array([["a", "b"]] * 4)), TypeError, ["must hold numbers", "dtype <U1", r"X\.astype\(float\)"]),
    ("fit_on_None", _fit(X=None), TypeError, ["NumPy array of shape \\(n_samples, n_features\\)", "NoneType", r"np\.asarray"]),
    ("fit_on_a_ragged_list", _fit(X=[[0, 1], [1], [0, 0], [1, 1]]), ValueError, ["rows of equal length", "ragged list", "same features"]),
    ("fit_on_too_many_features", _fit(X=np.ones((4, 3))), ValueError, [r"expects X of shape \(n, 2\)", r"got \(4, 3\)", "input_dim=3"]),
    ("fit_with_fewer_labels", _fit(y=Y4[:3]), ValueError, ["same number of samples, got 4 and 3", "same indices"]),
    ("fit_with_y_None", _fit(y=None), TypeError, ["array of numbers", "None"]),
    ("fit_with_text_labels", _fit(y=np.array(["no", "yes", "yes", "no"])), TypeError, ["must hold numbers", "dtype <U3", "encode labels as integers"]),
    ("fit_with_a_single_label", _fit(y=1), ValueError, ["one target per sample \\(4\\)", "single number 1"]),
    ("fit_zero_epochs", _fit(epochs=0), ValueError, ["epochs must be a positive int", "got 0", "epochs=20"]),
    ("fit_float_epochs", _fit(epochs=10.0), ValueError, ["epochs must be a positive int", "10.0", "epochs=20"]),
    ("fit_zero_batch_size", _fit(batch_size=0), ValueError, ["batch_size must be a positive int", "got 0", "batch_size=32"]),
    ("fit_bool_batch_size", _fit(batch_size=True), ValueError, ["batch_size must be a positive int", "True", "batch_size=32"]),
    ("fit_validation_data_only_X", _fit(validation_data=X4), TypeError, [ r"pair \(X_val, y_val\)", "an array of shape \\(4, 2\\)", r"validation_data=\(X_val, y_val\)", ]),
    ("fit_validation_data_one_element", _fit(validation_data=(X4,)), TypeError, [r"pair \(X_val, y_val\)", "tuple", r"validation_data=\(X_val, y_val\)"]),
    ("fit_validation_data_wrong_width", _fit(validation_data=(np.ones((4, 3)), Y4)), ValueError, [r"expects X of shape \(n, 2\)", r"\(4, 3\)", "Fix"]),
    # ------------------------------------------------------------------ fit: labels vs loss
    ("bce_with_labels_0_and_2", _fit(y=np.array([0, 2, 2, 0])), ValueError, ["targets 0 or 1", "from 0 to 2", "sparse_categorical_crossentropy"]),
    ("bce_with_labels_minus_1_and_1", _fit(y=np.array([-1, 1, 1, -1])), ValueError, ["targets 0 or 1", "from -1 to 1", r"\(y > 0\)\.astype\(int\)"]),
    ("sparse_labels_too_large", _fit(three_class_model(), y=np.array([1, 3, 5, 1])), ValueError, [r"labels must be in 0\.\.2 for 3 outputs", r"got 1\.\.5", "6 units"]),
    ("sparse_label_minus_1", _fit(three_class_model(), y=np.array([0, -1, 2, 1])), ValueError, [r"0\.\.2 for 3 outputs", r"got -1\.\.2", r"map the labels to 0\.\.2"]),
    ("sparse_labels_not_whole", _fit(three_class_model(), y=np.array([0.5, 1, 2, 0])), ValueError, ["whole numbers 0..2", "0.5", r"y\.astype\(int\)"]),
    ("sparse_with_one_hot", _fit(three_class_model(), y=np.eye(3)[[0, 1, 2, 0]]), ValueError, ["integer labels of shape \\(4,\\)", r"got \(4, 3\)", r"y\.argmax\(axis=1\)"]),
    ("categorical_with_integer_labels", _fit(three_class_model("categorical_crossentropy"), y=np.array([0, 1, 2, 0])), ValueError, [r"y must have shape \(4, 3\)", r"got \(4, 1\)", "one-hot encode"]),
    ("mse_with_two_columns_for_one_output", _fit(nn.Sequential([nn.Dense(1, input_dim=2)]).compile("sgd", "mse"), y=np.ones((4, 2))), ValueError, [r"y must have shape \(4, 1\)", r"got \(4, 2\)", "give the last layer 2 units"]),
    # ------------------------------------------------------------------ weights
    ("set_weights_too_few", lambda: binary_model().set_weights([np.zeros((2, 4))]), ValueError, ["expected 4 arrays, got 1", "one W and one b per Dense layer", r"get_weights\(\)"]),
    ("set_weights_transposed", lambda: (lambda m: m.set_weights([w.T for w in m.get_weights()]))(binary_model()), ValueError, [r"shape \(2, 4\) cannot be set from shape \(4, 2\)", "transpose it"]),
    ("set_weights_one_array", lambda: binary_model().set_weights(np.zeros((2, 4))), TypeError, ["list of 4 arrays", "an array of shape \\(2, 4\\)", r"set_weights\(\[W1, b1"]),
    ("set_weights_with_nan", lambda: ( lambda m: m.set_weights([with_nan(np.zeros((2, 4)), row=1)] + m.get_weights()[1:]) )(binary_model()), ValueError, ["finite numbers", "array 0 with NaN", "Fix"]),
    ("predict_wrong_width", lambda: binary_model().predict(np.ones((2, 5))), ValueError, [r"expects X of shape \(n, 2\)", r"got \(2, 5\)", "give X 2 features"]),
    ("predict_a_string", lambda: binary_model().predict("X"), TypeError, ["NumPy array", "str", r"np\.asarray\(X\)"]),
    ("evaluate_with_nan_X", lambda: binary_model().evaluate(with_nan(X4), Y4), ValueError, ["finite numbers", "row 3", "drop those rows"]),
    # ------------------------------------------------------------------ losses, called directly
    ("bce_labels_0_and_2", lambda: nn.binary_crossentropy(np.array([0, 2]), np.array([0.2, 0.7])), ValueError, ["y_true in \\[0, 1\\]", "from 0 to 2", "labels must be 0 or 1"]),
    ("bce_on_logits", lambda: nn.binary_crossentropy(np.array([0, 1]), np.array([-2.0, 3.0])), ValueError, ["y_pred in \\[0, 1\\]", "from -2 to 3", "sigmoid"]),
    ("categorical_ce_with_labels", lambda: nn.categorical_crossentropy(np.array([0, 2]), nn.softmax(np.ones((2, 3)))), ValueError, ["same shape", r"\(2,\) and \(2, 3\)", "one-hot encode"]),
    ("sparse_ce_with_one_hot", lambda: nn.sparse_categorical_crossentropy(np.eye(3)[[0, 2]], nn.softmax(np.ones((2, 3)))), ValueError, [r"integer labels of shape \(2,\)", r"got \(2, 3\)", "argmax"]),
    ("sparse_ce_label_too_large", lambda: nn.sparse_categorical_crossentropy(np.array([0, 3]), nn.softmax(np.ones((2, 3)))), ValueError, [r"0\.\.2 for 3 outputs", r"got 0\.\.3", "4 units"]),
    ("sparse_ce_on_one_row_of_probabilities", lambda: nn.sparse_categorical_crossentropy(np.array([1]), np.array([0.2, 0.8])), ValueError, [r"\(n, classes\)", r"got \(2,\)", "softmax output"]),
    ("mse_of_different_lengths", lambda: nn.mse(np.zeros(3), np.zeros(4)), ValueError, ["same shape", r"\(3,\) and \(4,\)", "Fix: make them the same shape"]),
    ("loss_on_text", lambda: nn.mse(["a", "b"], [0.0, 1.0]), TypeError, ["must hold numbers", "dtype <U1", "encode"]),
    ("get_loss_typo", lambda: nn.get_loss("crossentropy"), ValueError, ["unknown loss 'crossentropy'", "valid names", "did you mean"]),
    ("get_activation_number", lambda: nn.get_activation(3), TypeError, ["must be a name", "got int", "pass the name"]),
    # ------------------------------------------------------------------ optimizers
    ("sgd_nan_learning_rate", lambda: nn.SGD(learning_rate=np.nan), ValueError, ["learning_rate must be a finite number", "nan", r"SGD\(0\.01\)"]),
    ("sgd_negative_learning_rate", lambda: nn.SGD(-0.1), ValueError, ["learning_rate must be > 0", "-0.1", "small positive number"]),
    ("sgd_learning_rate_as_text", lambda: nn.SGD("0.01"), TypeError, ["learning_rate must be a number", "string '0.01'", r"SGD\(0\.01\)"]),
    ("sgd_momentum_1", lambda: nn.SGD(0.1, momentum=1.0), ValueError, [r"momentum must be in \[0, 1\)", "1.0", "0.9"]),
    ("sgd_negative_momentum", lambda: nn.SGD(0.1, momentum=-0.5), ValueError, [r"momentum must be in \[0, 1\)", "-0.5", "0.9"]),
    ("adam_infinite_learning_rate", lambda: nn.Adam(np.inf), ValueError, ["finite number", "inf", r"Adam\(0\.01\)"]),
    ("adam_zero_learning_rate", lambda: nn.Adam(0), ValueError, ["learning_rate must be > 0", "got 0", r"Adam\(0\.01\)"]),
    ("adam_beta_above_1", lambda: nn.Adam(beta_1=1.5), ValueError, [r"beta_1 must be in \[0, 1\)", "1.5", "0.9"]),
    ("adam_zero_epsilon", lambda: nn.Adam(epsilon=0), ValueError, ["epsilon must be > 0", "got 0", "1e-7"]),
    ("get_optimizer_none", lambda: nn.get_optimizer(None), TypeError, [r"\.update\(\)", "None", "optimizer='adam'"]),
    # ------------------------------------------------------------------ metrics
    ("confusion_matrix_label_minus_1", lambda: metrics.confusion_matrix([0, 1, -1], [0, 1, 1]), ValueError, ["class labels 0..k-1", "label -1", r"\(y > 0\)\.astype\(int\)"]),
    ("confusion_matrix_too_few_classes", lambda: metrics.confusion_matrix([0, 1, 2], [0, 1, 5], n_classes=3), ValueError, [r"n_classes=3 allows labels 0\.\.2", "label 5", "n_classes=6"]),
    ("accuracy_different_lengths", lambda: metrics.accuracy([0, 1, 1], [0, 1]), ValueError, ["same length", r"\(3,\) and \(2,\)", "same samples"]),
    ("accuracy_of_probabilities_as_labels", lambda: metrics.accuracy([0, 1], [0.2, 0.7]), ValueError, ["class labels \\(integers\\)", "0.2", r"\(p >= 0\.5\)\.astype\(int\)"]),
    ("accuracy_of_nothing", lambda: metrics.accuracy([], []), ValueError, ["at least one label", "empty"]),
    ("accuracy_of_text_labels", lambda: metrics.accuracy(["cat", "dog"], [0, 1]), TypeError, ["class labels \\(integers 0..k-1\\)", "dtype <U3", "encode the classes"]),
    ("precision_recall_with_nan", lambda: metrics.precision_recall_f1([0, 1], np.array([0.0, np.nan])), ValueError, ["class labels", "NaN", "check the predictions"]),
    # ------------------------------------------------------------------ data
    ("make_moons_negative_n", lambda: data.make_moons(-5), ValueError, [r"n_samples must be >= \d", "-5"]),
    ("make_moons_float_n", lambda: data.make_moons(100.0), TypeError, ["n_samples must be an int", "float", "100.0"]),
    ("make_moons_negative_noise", lambda: data.make_moons(noise=-1), ValueError, ["noise must be a number >= 0", "-1"]),
    ("make_toy_unknown", lambda: data.make_toy("moon"), ValueError, ["unknown data set 'moon'", "'moons'"]),
    ("make_spirals_one_class", lambda: data.make_spirals(n_classes=1), ValueError, ["n_classes must be >= 2", "got 1"]),
    ("train_val_split_lengths", lambda: data.train_val_split(X4, Y4[:3]), ValueError, ["same length", "4 and 3"]),
    ("train_val_split_percent", lambda: data.train_val_split(X4, Y4, val_fraction=20), ValueError, ["between 0 and 1", "20"]),
    ("make_windows_of_a_table", lambda: data.make_windows(np.ones((5, 2)), 2), ValueError, ["series must be 1-D", r"\(5, 2\)"]),
    ("make_windows_too_short", lambda: data.make_windows(np.arange(3.0), 5), ValueError, ["too short", "length 3", "window=5"]),
    ("load_photo_unknown", lambda: data.load_photo("cat"), ValueError, ["unknown photo 'cat'", "'china'"]),
    # ------------------------------------------------------------------ plotting
    ("plot_history_short_metric", lambda: plotting.plot_history({"loss": [1.0, 0.8, 0.5], "accuracy": [0.5, 0.6]}), ValueError, ["one value per epoch", r"'accuracy': 2", "History that fit returned"]),
    ("plot_history_without_loss", lambda: plotting.plot_history({"acc": [0.5]}), ValueError, ["no 'loss' entry", r"\['acc'\]"]),
    ("plot_history_of_a_list", lambda: plotting.plot_history([0.5, 0.4]), TypeError, ["dict or an object with a .history", "list"]),
    ("plot_history_of_a_number", lambda: plotting.plot_history(0.5), TypeError, ["dict or an object with a .history", "float"]),
    ("decision_boundary_of_a_model", lambda: plotting.plot_decision_boundary(binary_model(), X4, Y4), TypeError, ["predict must be a function", "Sequential"]),
    ("decision_boundary_3_features", lambda: plotting.plot_decision_boundary(binary_model().predict, np.ones((4, 3)), Y4), ValueError, [r"shape \(n, 2\)", r"\(4, 3\)"]),
    ("decision_boundary_short_y", lambda: plotting.plot_decision_boundary(binary_model().predict, X4, Y4[:2]), ValueError, ["same length", "4 and 2"]),
    ("image_grid_labels_short", lambda: plotting.plot_image_grid(np.zeros((4, 8, 8)), [0, 1]), ValueError, ["4 images", "2 labels"]),
    ("image_grid_flat_not_square", lambda: plotting.plot_image_grid(np.zeros((4, 10)), Y4), ValueError, ["square number of pixels", r"\(4, 10\)"]),
    ("confusion_plot_label_minus_1", lambda: plotting.plot_confusion_matrix([0, 1, -1], [0, 1, 1]), ValueError, ["class labels 0..k-1", "label -1", "Fix"]),
    # ------------------------------------------------------------------ widgets
    ("neuron_predict_3_features", lambda: widgets.neuron_predict(np.ones((4, 3)), 1, 1, 0), ValueError, [r"shape \(n, 2\)", r"\(4, 3\)"]),
    ("neuron_accuracy_short_y", lambda: widgets.neuron_accuracy(X4, [0, 1, 1], 1, 1, 0), ValueError, ["same length", "4 and 3"]),
    ("neuron_weight_as_text", lambda: widgets.neuron_predict(X4, "1", 1, 0), TypeError, ["w1 must be a number", "str"]),
    ("accuracy_text_in_percent", lambda: widgets.accuracy_text(87.5), ValueError, ["between 0 and 1", "87.5"]),
    ("activation_curves_softmax", lambda: widgets.activation_curves("softmax", np.zeros(3)), ValueError, ["unknown activation 'softmax'", "'sigmoid'"]),
    ("activation_curves_2d_z", lambda: widgets.activation_curves("relu", np.zeros((2, 2))), ValueError, ["z must be 1-D", r"\(2, 2\)"]),
    ("plot_activations_reversed_range", lambda: widgets.plot_activations(["relu"], 5, -5), ValueError, ["z_min must be smaller than z_max", "5.0 and -5.0"]),
    ("playground_unknown_dataset", lambda: Playground(dataset="spiral"), ValueError, ["unknown dataset 'spiral'", "'spirals'"]),
    ("playground_hidden_as_int", lambda: Playground(hidden=8), TypeError, ["tuple of layer sizes", "the int 8", r"hidden=\(8,\)"]),
    ("playground_zero_learning_rate", lambda: Playground(learning_rate=0), ValueError, ["learning_rate must be a number > 0", "got 0"]),
    ("playground_nan_learning_rate", lambda: Playground(learning_rate=float("nan")), ValueError, ["learning_rate", "nan"]),
    ("playground_train_zero_epochs", lambda: Playground(n_samples=20).train(0), ValueError, ["epochs must be a positive int", "got 0"]),
    ("live_curves_every_0", lambda: LiveCurves(every=0), ValueError, ["every must be >= 1", "got 0"]),
    ("live_curves_val_metric", lambda: LiveCurves(metrics=["val_loss"]), ValueError, ["without the 'val_' prefix", "val_loss"]),
    ("live_curves_metric_not_logged", _fit(binary_model(metrics_=()), callbacks=[LiveCurves(metrics=["accuracy"], show=False)]), ValueError, [r"expected the logs to contain \['accuracy'\]", r"\['loss'\]", r"metrics=\['accuracy'\]"]),
    # ------------------------------------------------------------------ check / hint / solution
    ("check_id_without_lesson", lambda: check("sigmoid_grad", nn.sigmoid_grad), ValueError, ["must look like '02.sigmoid_grad'", "'sigmoid_grad'"]),
    ("check_id_one_digit", lambda: check("2.sigmoid_grad", nn.sigmoid_grad), ValueError, ["two-digit lesson number", "'2.sigmoid_grad'"]),
    ("check_unknown_exercise", lambda: check("02.sigmoid", nn.sigmoid_grad), ValueError, ["unknown exercise '02.sigmoid'", "'02.sigmoid_grad'"]),
    ("check_lesson_without_exercises", lambda: check("99.sigmoid", nn.sigmoid_grad), ValueError, ["no exercises for lesson 99"]),
    ("check_id_a_number", lambda: check(2, nn.sigmoid_grad), ValueError, ["must look like '02.sigmoid_grad'", "got 2"]),
    ("hint_unknown_exercise", lambda: hint("02.sigmoid"), ValueError, ["unknown exercise '02.sigmoid'", "'02.sigmoid_grad'"]),
    ("solution_unknown_exercise", lambda: solution("02.softmax"), ValueError, ["unknown exercise '02.softmax'", "'02.stable_softmax'"]),
]
# fmt: on


@pytest.mark.parametrize("fn, exc, parts", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_a_mistake_gets_a_clear_message(fn, exc, parts):
    with pytest.raises(exc) as info:
        fn()
    message = str(info.value)
    missing = [p for p in parts if not re.search(p, message, re.IGNORECASE | re.DOTALL)]
    assert not missing, f"the message {message!r} does not say {missing}"
    assert "Traceback" not in message and len(message) > 20


# ---------------------------------------------------------------------------------------------
# Valid (if unusual) inputs: the right result, and no error.


def test_labels_of_shape_n_with_one_output_give_the_right_bce():
    y, p = np.array([0.0, 1.0, 1.0]), np.array([[0.2], [0.9], [0.6]])
    expected = -np.mean([np.log(0.8), np.log(0.9), np.log(0.6)])
    assert nn.binary_crossentropy(y, p) == pytest.approx(expected)  # not an (n, n) table
    assert nn.binary_crossentropy(p, y.reshape(-1, 1)) == nn.binary_crossentropy(p, y[:, None])


def test_labels_of_shape_n_with_one_output_give_the_right_mse():
    y, p = np.array([1.0, 2.0]), np.array([[1.5], [2.0]])
    assert nn.mse(y, p) == pytest.approx(0.125)
    assert nn.mse([1.0, 2.0], [1.5, 2.0]) == pytest.approx(0.125)  # lists work too


def test_loss_functions_accept_lists_and_column_labels():
    p = nn.softmax(np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]]))
    by_hand = -np.mean(np.log([p[0, 1], p[1, 2]]))
    assert nn.sparse_categorical_crossentropy([1, 2], p) == pytest.approx(by_hand)
    assert nn.sparse_categorical_crossentropy(np.array([[1], [2]]), p) == pytest.approx(by_hand)
    assert nn.categorical_crossentropy(np.eye(3)[[1, 2]], p) == pytest.approx(by_hand)


def test_activations_accept_lists():
    assert np.allclose(nn.sigmoid([0.0, 1000.0]), [0.5, 1.0])
    assert np.isclose(nn.softmax([1.0, 2.0, 3.0]).sum(), 1.0)
    assert np.allclose(nn.relu([-1, 2]), [0, 2])


def test_fit_accepts_lists_and_labels_of_shape_n():
    model = binary_model()
    h = model.fit(X4.tolist(), Y4.tolist(), epochs=3, batch_size=4)
    assert len(h.history["loss"]) == 3
    other = binary_model()
    h2 = other.fit(X4, Y4.reshape(-1, 1).astype(float), epochs=3, batch_size=4)
    assert h.history["loss"] == pytest.approx(h2.history["loss"])


def test_predict_accepts_lists_and_integers():
    model = binary_model()
    out = model.predict([[0, 1], [1, 0]])
    assert out.shape == (2, 1) and out.dtype == np.float32
    assert np.allclose(out, model.predict(np.array([[0.0, 1.0], [1.0, 0.0]])))


def test_predict_works_before_compile():
    out = binary_model(compiled=False).predict(X4)
    assert out.shape == (4, 1) and np.all((out > 0) & (out < 1))


def test_evaluate_gives_the_loss_and_accuracy_by_hand():
    model = binary_model()
    loss, acc = model.evaluate(X4, Y4)
    p = model.predict(X4).ravel()
    assert loss == pytest.approx(-np.mean(Y4 * np.log(p) + (1 - Y4) * np.log(1 - p)), rel=1e-5)
    assert acc == np.mean((p >= 0.5) == Y4)


def test_metric_acc_is_accuracy():
    model = binary_model(compiled=False).compile("adam", "binary_crossentropy", ["acc"])
    assert "accuracy" in model.fit(X4, Y4, epochs=1).history


def test_summary_before_built_prints_question_marks(capsys):
    unbuilt_model().summary()
    out = capsys.readouterr().out
    assert "Dense(4, relu)" in out and "not built yet" in out


def test_a_model_builds_itself_on_first_fit_and_then_counts_its_parameters():
    model = unbuilt_model().compile("adam", "mse")
    model.fit(X4, Y4, epochs=1)
    assert model.count_params() == 2 * 4 + 4 + 4 + 1 and len(model.get_weights()) == 4


def test_sgd_momentum_given_by_position():
    assert nn.SGD(0.1, 0.9).momentum == 0.9


def test_optimizer_by_name_is_a_fresh_instance():
    a = binary_model(False).compile("sgd", "binary_crossentropy").optimizer
    assert isinstance(a, nn.SGD) and a.learning_rate == 0.01


def test_confusion_matrix_of_one_hot_and_probabilities():
    y = np.array([0, 1, 2, 1])
    cm = metrics.confusion_matrix(np.eye(3)[y], np.eye(3)[[0, 2, 2, 1]] * 0.8 + 0.05)
    assert cm.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]


def test_accuracy_of_a_sigmoid_output_column():
    p = np.array([[0.1], [0.7], [0.4], [0.9]])  # model.predict of a Dense(1, "sigmoid")
    assert metrics.accuracy([0, 1, 1, 1], p) == 0.75


def test_check_without_an_answer_says_so(lenient):
    result = check("02.sigmoid_grad", ...)
    assert not result.passed and "no answer yet" in result.message


def test_check_of_code_that_raises_names_the_error(lenient):
    result = check("02.sigmoid_grad", lambda z: 1 / 0)
    assert not result.passed and "ZeroDivisionError" in result.message
    assert "hint('02.sigmoid_grad')" in result.message


def test_check_of_a_function_without_return(lenient):
    result = check("02.sigmoid_grad", lambda z: None)
    assert not result.passed and "forget a `return`" in result.message


def test_check_of_a_string_instead_of_a_function(lenient):
    result = check("02.sigmoid_grad", "sigmoid_grad")
    assert not result.passed and "expected a function, got str" in result.message


def test_check_of_a_right_answer_passes(lenient):
    assert check("02.sigmoid_grad", nn.sigmoid_grad).passed


def test_every_case_is_a_learner_mistake_with_a_fix_or_outcome():
    assert len(ERRORS) >= 100
    assert len({c[0] for c in ERRORS}) == len(ERRORS)
