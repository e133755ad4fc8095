"""Lesson 03 exercises: the references pass, typical wrong answers fail with a helpful message."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import get_exercise
from nnlib.exercises import lesson03 as L03

pytestmark = pytest.mark.usefixtures("lenient")


@pytest.mark.parametrize(
    "exercise_id", ["03.dense_forward", "03.output_shapes", "03.count_params", "03.xor_gates"]
)
def test_reference_passes(exercise_id):
    assert run(exercise_id, get_exercise(exercise_id).reference)


# --------------------------------------------------------------------------- 03.dense_forward


def test_dense_forward_matches_nnlib_dense():
    from nnlib import nn

    def with_nnlib(X, W, b):
        layer = nn.Dense(W.shape[1], activation="relu")
        layer.build(W.shape[0], np.random.default_rng(0), np.float64)
        layer.W[...], layer.b[...] = W, b
        return layer.forward(X)

    assert run("03.dense_forward", with_nnlib)


def dense_forward_classmate(X, W, b):  # the lesson's cell, unchanged
    return np.maximum(X @ W.T + b, 0)


def test_dense_forward_the_classmates_code_unchanged_is_named():
    res = run("03.dense_forward", dense_forward_classmate)
    assert not res and "like the classmate's" in res.message and "X @ W" in res.message
    assert "right shape but the wrong values" in res.message and "square" in res.message
    assert "precision" not in res.message and "less than 10 %" not in res.message


def test_dense_forward_the_classmates_code_fails_only_off_the_square():
    """What the lesson's answer cell prints: right shape, wrong values on 3 -> 3; no run on 2 -> 3."""
    rng = np.random.default_rng(5)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 3)), rng.normal(size=3)
    ref = get_exercise("03.dense_forward").reference
    assert dense_forward_classmate(X, W, b).shape == ref(X, W, b).shape
    assert not np.allclose(dense_forward_classmate(X, W, b), ref(X, W, b))
    with pytest.raises(ValueError):
        dense_forward_classmate(X[:, :2], rng.normal(size=(2, 3)), b)


def test_dense_forward_wrong_order_explains_shapes():
    res = run("03.dense_forward", lambda X, W, b: np.maximum(W @ X + b, 0))
    assert not res and "raised ValueError" in res.message and "X @ W" in res.message


def test_dense_forward_without_relu_or_bias():
    res = run("03.dense_forward", lambda X, W, b: X @ W + b)
    assert not res and "the ReLU is missing" in res.message
    res = run("03.dense_forward", lambda X, W, b: np.maximum(X @ W, 0))
    assert not res and "biases are missing" in res.message
    res = run("03.dense_forward", lambda X, W, b: np.maximum(X @ W, 0) + b)
    assert not res and "added after the ReLU" in res.message


def test_dense_forward_relu_the_wrong_way_round_is_named():
    for wrong in (
        lambda X, W, b: np.minimum(X @ W + b, 0),
        lambda X, W, b: np.minimum(0, X @ W + b),
    ):
        res = run("03.dense_forward", wrong)
        assert not res and "the wrong way round" in res.message, res.message
        assert "keeps the negative values" in res.message and "positive ones to 0" in res.message
        assert "np.maximum" not in res.message and "np.minimum" not in res.message


def test_dense_forward_np_max_is_not_relu():
    res = run("03.dense_forward", lambda X, W, b: np.max(X @ W + b, 0))
    assert not res and "largest entry of each COLUMN" in res.message


def test_dense_forward_wrong_shape():
    res = run("03.dense_forward", lambda X, W, b: np.maximum(X @ W + b, 0).sum(axis=1))
    assert (
        not res
        and "a vector of 4 numbers, shape (4,), but should be an array of shape (4, 3)"
        in res.message
    )


# --------------------------------------------------------------------------- 03.output_shapes

W_RIGHT = [(3072, 256), (256, 100), (100, 10)]
OUT_RIGHT = [(50, 256), (50, 100), (50, 10)]


def test_output_shapes_accepts_lists_and_arrays_of_ints():
    assert run("03.output_shapes", {"W": [list(s) for s in W_RIGHT], "output": OUT_RIGHT})
    assert run(
        "03.output_shapes",
        {"W": [np.array(W_RIGHT[0]), *W_RIGHT[1:]], "output": tuple(OUT_RIGHT)},
    )


def test_output_shapes_are_not_the_ones_printed_in_the_lesson():
    """The exercise asks for a network the lesson does not print before the check."""
    assert L03.OUTPUT_SHAPES["output"] != [(32, 128), (32, 64), (32, 10)]
    assert L03.OUTPUT_SHAPES == {"W": W_RIGHT, "output": OUT_RIGHT}


@pytest.mark.parametrize(
    "w, out, words",
    [
        ([(1024, 256), *W_RIGHT[1:]], OUT_RIGHT, "3 channels"),  # forgot the colour channels
        ([(256, 3072), *W_RIGHT[1:]], OUT_RIGHT, "W is (inputs, units)"),
        ([(50, 256), *W_RIGHT[1:]], OUT_RIGHT, "does not depend on the batch size"),
        ([(3072, 256), (256, 100), (10, 100)], OUT_RIGHT, "W is (inputs, units)"),
        ([(3072, 256), (3072, 100), (100, 10)], OUT_RIGHT, "number of inputs the layer receives"),
        (W_RIGHT, [(256, 50), (100, 50), (10, 50)], "batch dimension comes first"),
        (W_RIGHT, [(256,), (100,), (10,)], "two dimensions"),
        (W_RIGHT, [(50, 256), (50, 100)], "needs 3 shapes, got 2"),
        (W_RIGHT, [(32, 256), (32, 100), (32, 10)], "batch size never changes"),
        (W_RIGHT, [(50, 3072), (50, 256), (50, 100)], "layer's number of units"),
        (W_RIGHT, [(50, 256), "x", (50, 10)], "output of layer 2"),
        ([None, None, None], OUT_RIGHT, "W of layer 1"),
    ],
)
def test_output_shapes_wrong_answers(w, out, words):
    res = run("03.output_shapes", {"W": w, "output": out})
    assert not res and words in res.message, res.message


@pytest.mark.parametrize(
    "answer, words",
    [
        ([(50, 256), (50, 100), (50, 10)], "dict with two lists"),
        ({"W": W_RIGHT}, 'keys "W" and "output"'),
        ("(50, 256)", 'keys "W" and "output"'),
        ({"W": "x", "output": OUT_RIGHT}, "list of 3 shapes"),
    ],
)
def test_output_shapes_wrong_format(answer, words):
    res = run("03.output_shapes", answer)
    assert not res and words in res.message, res.message


# --------------------------------------------------------------------------- 03.count_params


def test_count_params_matches_nnlib_sequential():
    from nnlib import nn

    def with_nnlib(sizes):
        layers = [nn.Dense(sizes[1], input_dim=sizes[0])] + [nn.Dense(s) for s in sizes[2:]]
        return nn.Sequential(layers).count_params()

    assert run("03.count_params", with_nnlib)


def test_count_params_without_biases():
    res = run("03.count_params", lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])))
    assert not res and "biases" in res.message and "is 9, expected 13" in res.message


def test_count_params_none_and_raising_and_not_a_function():
    assert "None" in run("03.count_params", lambda s: None).message
    assert "raised IndexError" in run("03.count_params", lambda s: s[10]).message
    assert "expected a function" in run("03.count_params", 13).message


@pytest.mark.parametrize(
    "w, out",
    [
        ([(1024, 256), (256, 100), (100, 10)], OUT_RIGHT),
        ([(256, 3072), (100, 256), (10, 100)], OUT_RIGHT),
        (W_RIGHT, [(256, 50), (100, 50), (10, 50)]),
        (W_RIGHT, [(1, 256), (1, 100), (1, 10)]),
    ],
)
def test_output_shapes_never_show_the_answer(w, out):
    res = run("03.output_shapes", {"W": w, "output": out})
    assert not res
    for key, given in (("W", w), ("output", out)):
        for i, shape in enumerate(L03.OUTPUT_SHAPES[key]):
            if tuple(given[i]) != shape:
                assert str(shape) not in res.message


# --------------------------------------------------------------------------- 03.xor_gates

GATES = {"NAND": (-1.0, -1.0, 1.5), "OR": (1.0, 1.0, -0.5), "AND": (1.0, 1.0, -1.5)}


@pytest.mark.parametrize(
    "gates",
    [
        GATES,
        {"NAND": [-2, -2, 3], "OR": np.array([0.5, 0.5, -0.25]), "AND": (3, 3, -5)},
        {"NAND": (-1, -1, 1), "OR": (2, 2, -1), "AND": (1, 2, -2.5)},  # z = 0 counts as 1
    ],
)
def test_xor_gates_accepts_other_correct_weights(gates):
    res = run("03.xor_gates", gates)
    assert res, res.message


def test_xor_gates_wired_network_is_xor():
    hidden, out = L03.wire_xor(GATES)
    assert out.tolist() == [0, 1, 1, 0] and hidden.tolist() == [[1, 0], [1, 1], [1, 1], [0, 1]]


@pytest.mark.parametrize(
    "change, words",
    [
        ({"NAND": (1.0, 1.0, -1.5)}, "your NAND neuron gives 0 for the input (0, 0)"),
        ({"OR": (1.0, 1.0, -1.5)}, "your OR neuron gives 0 for the input (0, 1)"),
        ({"AND": (1.0, 1.0, -0.5)}, "your AND neuron gives 1 for the input (0, 1)"),
        ({"AND": (1.0, 1.0, -1.0)}, "z = 0"),  # a corner on the line: z = 0 gives 1
        ({"NAND": (1.0, 1.0, -1.5), "AND": (-1.0, -1.0, 1.5)}, "NAND neuron"),  # swapped
        ({"OR": None}, "still None"),
        ({"OR": (1.0, 1.0)}, "three finite numbers"),
        ({"OR": "1, 1, -0.5"}, "three numbers"),
        ({"AND": (1.0, np.nan, -1.5)}, "three finite numbers"),
    ],
)
def test_xor_gates_names_the_wrong_neuron(change, words):
    res = run("03.xor_gates", {**GATES, **change})
    assert not res and words in res.message, res.message


def test_xor_gates_wrong_format():
    assert "dict" in run("03.xor_gates", [GATES["NAND"], GATES["OR"], GATES["AND"]]).message
    res = run("03.xor_gates", {"NAND": GATES["NAND"], "OR": GATES["OR"]})
    assert not res and "missing: AND" in res.message


def test_xor_gates_messages_never_show_weights_that_work():
    res = run("03.xor_gates", {**GATES, "OR": (1.0, 1.0, -1.5)})
    assert not res and "(1.0, 1.0, -0.5)" not in res.message and "b = -0.5" not in res.message
    assert "between" not in res.message  # the range that works is for hint(), not the check
