"""Lesson 03 (the forward pass): a Dense layer that only works when square, to debug; output
shapes; counting parameters; XOR from own gates."""

import numpy as np

from .core import Exercise, Mistake, not_yet, ok
from .solutions import lesson_solution

dense_forward = lesson_solution("03.dense_forward")
OUTPUT_SHAPES = lesson_solution("03.output_shapes")
count_params = lesson_solution("03.count_params")


def _dense_cases():
    rng = np.random.default_rng(3)
    cases = []
    # a square layer first (the classmate's test: X @ W.T runs there), then non-square ones
    for n, n_in, n_out in [(4, 3, 3), (4, 2, 3), (1, 3, 1), (5, 4, 2), (6, 3, 3)]:
        cases.append(
            (rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))
        )
    return cases


_DENSE_INPUTS = (
    "X is (batch, inputs), W is (inputs, units) and b is (units,); X @ W + b is (batch, units), "
    "and ReLU keeps that shape."
)

_DENSE_MISTAKES = [
    Mistake(
        "the classmate's W.T",
        lambda X, W, b: np.maximum(X @ W.T + b, 0),
        "on a square layer (3 inputs, 3 units) your output has the right shape but the wrong "
        "values: like the classmate's, your layer multiplies by W.T. There it runs, but W[i, j] is the weight from "
        "input i to unit j, so unit j must sum over column j of W: X @ W. X @ W.T sums over "
        "rows instead - the wrong weights - and on a layer that is not square it cannot run "
        "at all. A test of the shape alone misses it; compare values.",
    ),
    Mistake(
        "no ReLU",
        lambda X, W, b: X @ W + b,
        "{problem}. You return z = X @ W + b: the ReLU is missing, so negative entries stay "
        "negative instead of becoming 0.",
    ),
    Mistake(
        "no bias",
        lambda X, W, b: np.maximum(X @ W, 0),
        "{problem}. The biases are missing: each unit j adds its own b[j] before the ReLU.",
    ),
    Mistake(
        "bias after the ReLU",
        lambda X, W, b: np.maximum(X @ W, 0) + b,
        "{problem}. The bias is added after the ReLU; it belongs inside it: z = X @ W + b, "
        "then the ReLU of z.",
    ),
    Mistake(
        "ReLU the wrong way round",
        lambda X, W, b: np.minimum(X @ W + b, 0),
        "{problem}. Your ReLU goes the wrong way round: it keeps the negative values of "
        "z = X @ W + b and cuts the positive ones to 0. ReLU does the opposite: a positive z "
        "passes unchanged, a negative one becomes 0.",
    ),
    Mistake(
        "np.max for ReLU",
        lambda X, W, b: np.max(X @ W + b, 0),
        "{problem} - np.max(Z, 0) is the largest entry of each COLUMN (0 is the axis), not "
        "ReLU; the entrywise maximum with 0 is np.maximum(Z, 0).",
    ),
]


def _as_shape(s):
    try:
        t = tuple(int(v) for v in s)
    except (TypeError, ValueError):
        return None
    return t


_BATCH, _IMAGE = 50, (32, 32, 3)


def _check_shape_list(answer, key, expected):
    """None if the list ``answer`` of shapes equals ``expected``; else a message."""
    n = len(expected)
    if not isinstance(answer, (list, tuple)):
        return (
            f'shapes_answer["{key}"] should be a list of {n} shapes, one per layer, e.g. '
            f"[(1, 2), (3, 4), (5, 6)], got {type(answer).__name__}"
        )
    if len(answer) != n:
        return (
            f'the network has {n} Dense layers, so shapes_answer["{key}"] needs {n} shapes, '
            f"got {len(answer)}"
        )
    for i, (got, want) in enumerate(zip(answer, expected), start=1):
        shape = _as_shape(got)
        if shape is None:
            return f"{key} of layer {i}: {got!r} is not a shape such as (12, 34)"
        if shape == want:
            continue
        where = f"{key} of layer {i}: you wrote {shape}, but"
        if len(shape) != 2:
            return f"{where} it has two dimensions, ({'inputs, units' if key == 'W' else 'batch, units'})"
        if shape == want[::-1]:
            if key == "W":
                return f"{where} W is (inputs, units) - X @ W needs W's first dimension to match X's columns"
            return f"{where} the batch dimension comes first, (batch, units)"
        if key == "W":
            if shape[0] == _BATCH:
                return f"{where} W does not depend on the batch size: it is (inputs, units)"
            if i == 1 and shape[0] in (32 * 32, 32 * 3, 32):
                return (
                    f"{where} the first layer reads every number of a flattened image: how many "
                    "numbers does one 32x32 colour image (3 channels) hold?"
                )
            if shape[0] != want[0]:
                return f"{where} W's first dimension is the number of inputs the layer receives"
            return f"{where} W's second dimension is the layer's number of units"
        if shape[0] != want[0]:
            return f"{where} the first number is the batch size, and the batch size never changes"
        return f"{where} the second number is the layer's number of units"
    return None


def _check_output_shapes(answer):
    if isinstance(answer, (list, tuple)):
        return not_yet(
            'shapes_answer should be a dict with two lists: {"W": [...], "output": [...]} - '
            "the weight matrix shapes and the output shapes of the three layers"
        )
    if not isinstance(answer, dict) or set(answer) != {"W", "output"}:
        got = sorted(answer) if isinstance(answer, dict) else type(answer).__name__
        return not_yet(
            f'shapes_answer should be a dict with exactly the keys "W" and "output", got {got}'
        )
    for key in ("W", "output"):
        problem = _check_shape_list(answer[key], key, OUTPUT_SHAPES[key])
        if problem:
            return not_yet(problem)
    return ok(
        "every W is (inputs, units) and every output (50, units): the batch size passes "
        "through, the first layer reads all 3,072 numbers of an image."
    )


_PARAM_CASES = [[2, 3, 1], [784, 128, 10], [4, 4], [3, 5, 5, 2], [10, 1]]


_PARAM_MISTAKES = [
    Mistake(
        "no biases",
        lambda sizes: sum(a * b for a, b in zip(sizes[:-1], sizes[1:])),
        "{problem} - it looks like the biases (one per unit) are missing",
    ),
    Mistake(
        "input biases",
        lambda sizes: sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])) + sizes[0],
        "{problem} - the input layer has no biases: it only holds the data",
    ),
]


# --------------------------------------------------------------------------- 03.xor_gates

_CORNERS = [(0, 0), (0, 1), (1, 0), (1, 1)]
_GATES = {
    "NAND": lambda a, b: int(not (a and b)),
    "OR": lambda a, b: int(a or b),
    "AND": lambda a, b: int(a and b),
}


def _step_neuron(weights, x1, x2):
    w1, w2, b = weights
    return int(w1 * x1 + w2 * x2 + b >= 0)


def wire_xor(gates):
    """The 2-2-1 step network: hidden = (NAND, OR), output = AND of the two hidden values.
    Returns the hidden values (4, 2) and the output (4,) on the four corners."""
    from nnlib import nn

    (n1, n2, nb), (o1, o2, ob), (a1, a2, ab) = (gates[k] for k in ("NAND", "OR", "AND"))
    net = nn.Sequential(
        [nn.Dense(2, activation="step", input_dim=2), nn.Dense(1, activation="step")],
        dtype="float64",
    )
    net.set_weights(
        [np.array([[n1, o1], [n2, o2]]), np.array([nb, ob]), np.array([[a1], [a2]]), np.array([ab])]
    )
    X = np.array(_CORNERS, dtype=np.float64)
    return net.layers[0].forward(X), net.predict(X).ravel()


def _check_xor_gates(answer):
    if not isinstance(answer, dict):
        return not_yet(
            'my_gates should be a dict {"NAND": (w1, w2, b), "OR": (w1, w2, b), "AND": '
            f"(w1, w2, b)}}, got {type(answer).__name__}"
        )
    missing = [k for k in _GATES if k not in answer]
    if missing:
        return not_yet(f"my_gates needs the keys NAND, OR and AND; missing: {', '.join(missing)}")
    gates = {}
    for name in _GATES:
        value = answer[name]
        if value is None:
            return not_yet(f'my_gates["{name}"] is still None: give three numbers (w1, w2, b)')
        try:
            numbers = [float(v) for v in value]
        except (TypeError, ValueError):
            return not_yet(f'my_gates["{name}"] should be three numbers (w1, w2, b), got {value!r}')
        if len(numbers) != 3 or not all(np.isfinite(numbers)):
            return not_yet(
                f'my_gates["{name}"] should be three finite numbers (w1, w2, b), got {value!r}'
            )
        gates[name] = numbers
    for name, truth in _GATES.items():
        for x1, x2 in _CORNERS:
            got, want = _step_neuron(gates[name], x1, x2), truth(x1, x2)
            if got != want:
                z = gates[name][0] * x1 + gates[name][1] * x2 + gates[name][2]
                return not_yet(
                    f"your {name} neuron gives {got} for the input ({x1}, {x2}) (z = {z:g}), "
                    f"but {name} of ({x1}, {x2}) is {want}. A step neuron outputs 1 where "
                    "z = w1 x1 + w2 x2 + b >= 0."
                )
    hidden, out = wire_xor(gates)
    xor = [a ^ b for a, b in _CORNERS]
    if not np.array_equal(out, xor):  # cannot happen when the three gates are right
        return not_yet(f"the wired network gives {out.astype(int).tolist()}, XOR is {xor}")
    return ok(
        "your three neurons, wired as hidden = (NAND, OR) and output = AND, compute XOR on all "
        "four inputs: hidden (NAND, OR) = "
        + ", ".join(f"{tuple(int(v) for v in h)}" for h in hidden)
        + "."
    )


EXERCISES = [
    Exercise(
        id="03.dense_forward",
        cases=_dense_cases(),
        mistakes=_DENSE_MISTAKES,
        inputs=_DENSE_INPUTS,
        passed="dense_forward gives the right (batch, units) output for 5 layers, square and "
        "not square - where the classmate's X @ W.T gave wrong values or could not run.",
        hint=[
            "Answer (a) first: in X @ W.T, which sizes must match? For X of shape (4, 2) and W "
            "of shape (2, 3), what shape is W.T? Then (b): which entry of W does the "
            "classmate's version use as the weight from input i to unit j?",
            "W has one row per input and one column per unit: unit j's weights are column j. "
            "A matrix product X @ M sums each row of X against each COLUMN of M - so which of "
            "W and W.T has the units in its columns?",
            "z = X @ W + b (b broadcasts over the rows), then the ReLU: np.maximum(z, 0).",
        ],
    ),
    Exercise(
        id="03.output_shapes",
        check=_check_output_shapes,
        hint=[
            "First count the numbers in one flattened image, then follow one batch through "
            "the layers: which dimension does a Dense layer change, and which never changes?",
            "A 32x32 image with 3 colour channels flattens to 32 * 32 * 3 numbers. A Dense "
            "layer's W is (inputs it receives, units); its output is (batch, units).",
            "Each layer's inputs are the previous layer's units (the first layer's are the "
            "image's numbers); the batch size 50 never changes.",
        ],
    ),
    Exercise(
        id="03.count_params",
        cases=[(sizes,) for sizes in _PARAM_CASES],
        mistakes=_PARAM_MISTAKES,
        rtol=0,
        atol=1e-9,
        passed=f"count_params is right for {len(_PARAM_CASES)} networks, e.g. 784-128-10: 101,770.",
        hint=[
            "Try the example by hand first: [2, 3, 1] gives 13. Which numbers belong to the "
            "connection between two neighbouring layers?",
            "Between layers of sizes n_in and n_out there is a weight matrix of n_in * n_out "
            "numbers and a bias vector of n_out numbers.",
            "Loop over neighbouring pairs of sizes - zip(sizes[:-1], sizes[1:]) gives them - "
            "and add up the weights and biases of each.",
        ],
    ),
    Exercise(
        id="03.xor_gates",
        check=_check_xor_gates,
        hint=[
            "Do one gate at a time, on paper: for which of the four inputs must the neuron say "
            "1? Draw a line on the unit square that puts exactly those corners on its 1-side.",
            "OR says 1 unless both inputs are 0; AND only when both are 1; NAND is the "
            "opposite of AND. With w1 = w2 = 1 only the bias decides where the line crosses.",
            "OR: w1 = w2 = 1 and a bias strictly between -1 and 0; AND: strictly between -2 and "
            "-1; NAND: flip the sign of all three numbers of such an AND neuron (no corner may "
            "lie exactly on its line, where z = 0).",
        ],
    ),
]
