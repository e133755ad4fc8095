"""Lesson 03 (the forward pass): a Dense layer on a batch, output shapes, counting parameters."""

import numpy as np

from .core import Exercise, check_function, not_yet, ok
from .solutions import lesson_solution

dense_forward = lesson_solution("03.dense_forward")
OUTPUT_SHAPES = lesson_solution("03.output_shapes")
count_params = lesson_solution("03.count_params")


def _dense_cases():
    rng = np.random.default_rng(3)
    cases = []
    for n, n_in, n_out in [(4, 2, 3), (1, 3, 1), (5, 4, 2), (6, 3, 3)]:
        cases.append(
            (rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))
        )
    return cases


def _check_dense_forward(fn):
    result = check_function(fn, dense_forward, _dense_cases())
    if result:
        return ok("dense_forward gives the right (batch, units) output for 4 layers and batches.")
    msg = result.message.replace("❌ Not yet: ", "", 1)
    if "matmul" in msg or ("shapes" in msg and "not aligned" in msg):
        msg += (
            " (X has shape (batch, inputs) and W (inputs, units): X @ W has shape (batch, units).)"
        )
    elif "has shape" in msg:
        msg += " (The output should have one row per example and one column per unit.)"
    return not_yet(msg)


def _as_shape(s):
    try:
        t = tuple(int(v) for v in s)
    except (TypeError, ValueError):
        return None
    return t


def _check_output_shapes(answer):
    if not isinstance(answer, (list, tuple)):
        return not_yet(
            f"answer should be a list of shapes, one per layer, e.g. [(32, 128), ...], got "
            f"{type(answer).__name__}"
        )
    if len(answer) != len(OUTPUT_SHAPES):
        return not_yet(
            f"the network has {len(OUTPUT_SHAPES)} Dense layers, so the list needs "
            f"{len(OUTPUT_SHAPES)} shapes, got {len(answer)}"
        )
    for i, (got, expected) in enumerate(zip(answer, OUTPUT_SHAPES), start=1):
        shape = _as_shape(got)
        if shape is None:
            return not_yet(f"layer {i}: {got!r} is not a shape such as (32, 128)")
        if shape == expected:
            continue
        if shape == expected[::-1]:
            why = "the batch dimension comes first, (batch, units)"
        elif len(shape) != 2:
            why = "a batch output has two dimensions, (batch, units)"
        elif shape[0] != expected[0]:
            why = "the first number is the batch size, and the batch size never changes"
        else:
            why = f"this layer does not have {shape[1]} units - read its units off the model"
        return not_yet(f"layer {i}: you wrote {shape}, but {why}")
    return ok("every layer maps (32, inputs) to (32, units).")


_PARAM_CASES = [[2, 3, 1], [784, 128, 10], [4, 4], [3, 5, 5, 2], [10, 1]]


def _check_count_params(fn):
    if not callable(fn):
        return not_yet(f"expected a function, got {type(fn).__name__}")
    for sizes in _PARAM_CASES:
        try:
            got = fn(list(sizes))
        except Exception as exc:
            return not_yet(f"count_params({sizes}) raised {type(exc).__name__}: {exc}")
        expected = count_params(sizes)
        if got is None:
            return not_yet("count_params returned None - did you forget a `return`?")
        try:
            got_int = int(got)
        except (TypeError, ValueError):
            return not_yet(f"count_params({sizes}) should return a number, got {got!r}")
        if got_int == expected:
            continue
        weights_only = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        extra = ""
        if got_int == weights_only:
            extra = " - it looks like the biases (one per unit) are missing"
        elif got_int == expected + sizes[0]:
            extra = " - the input layer has no biases: it only holds the data"
        return not_yet(f"count_params({sizes}) is {got_int}, expected {expected}{extra}")
    return ok(f"count_params is right for {len(_PARAM_CASES)} networks, e.g. 784-128-10: 101,770.")


EXERCISES = [
    Exercise(
        id="03.dense_forward",
        title="A Dense layer on a batch",
        check=_check_dense_forward,
        hint=[
            "Section 'a layer is a matrix product': one matrix product handles every sample of"
            " the batch at once, no loop needed.",
            "X has shape (batch, n_in) and W (n_in, n_out): X @ W has one row per sample; b "
            "broadcasts over the rows.",
            "Apply ReLU to the result: np.maximum(..., 0).",
        ],
    ),
    Exercise(
        id="03.output_shapes",
        title="Output shapes through a network",
        check=_check_output_shapes,
        hint=[
            "Follow one batch of 32 samples through the network: which dimension does a Dense "
            "layer change, and which never changes?",
            "A Dense layer with u units turns (batch, anything) into (batch, u). Read each "
            "layer's number of units off the model.",
            "Write one (32, units) tuple per Dense layer, in order, in a list.",
        ],
    ),
    Exercise(
        id="03.count_params",
        title="Counting parameters",
        check=_check_count_params,
        hint=[
            "Try the example by hand first: [2, 3, 1] gives 13. Which numbers belong to the "
            "connection between two neighbouring layers?",
            "Between layers of sizes n_in and n_out there is a weight matrix of n_in * n_out "
            "numbers and a bias vector of n_out numbers.",
            "Loop over neighbouring pairs of sizes - zip(sizes[:-1], sizes[1:]) gives them - "
            "and add up the weights and biases of each.",
        ],
    ),
]
