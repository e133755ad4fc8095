"""Lesson 09 (convolutional networks): the padding that keeps the size (derived from the
output-size formula), a kernel designed for a job (judged on test images), and the shape and
parameters of a conv stack predicted before it is run."""

import numpy as np

from .core import Exercise, Mistake, how_far_off, not_yet, ok
from .solutions import lesson_solution

same_padding = lesson_solution("09.same_padding")
LINE_KERNEL = lesson_solution("09.line_kernel")
STACK_ANSWER = lesson_solution("09.predict_stack")  # ((14, 14, 32), 2944)


_PADDING_CASES = [3, 5, 7, 1, 11]


_PADDING_MISTAKES = [
    Mistake(
        "one side only",
        lambda k: k - 1,
        "same_padding(3) gives {got}: that is the padding if only ONE side were padded. The "
        "formula has 2p - padding goes on both sides - so a 28-pixel row would come out "
        "longer than 28. Set n = n + 2p - k + 1 and solve for p again.",
    ),
    Mistake(
        "one too many",
        lambda k: (k + 1) // 2,
        "same_padding(3) gives {got}: one pixel too many on each side, so the output is 2 pixels "
        "larger than the input (28 -> 30). Check your answer with k = 3, where p = 1.",
    ),
    Mistake(
        "the kernel size",
        lambda k: k,
        "same_padding(3) gives {got}: padding by the whole kernel size makes the output k + 1 "
        "pixels larger than the input (28 -> 28 + k + 1). Only the part of the kernel that "
        "sticks out past the border needs padding.",
    ),
    Mistake(
        "always 1",
        lambda k: 1,
        "same_padding gives 1 for every kernel: right for k = 3 (section 3), but a larger "
        "kernel sticks out further, so it needs more padding. Solve the formula for p with "
        "k as a letter.",
    ),
]


def _whole_number_padding(fn):
    """A padding is a number of pixels: ``(k - 1) / 2`` has the right value but is a float, which
    the lesson's next cell (and Keras) refuse."""
    try:
        got = fn(3)
    except Exception:  # noqa: BLE001 - the case loop reports the error with its advice
        return None
    if isinstance(got, float | np.floating) and float(got).is_integer():
        return not_yet(
            f"same_padding(3) gives {got!r}, a float: the value is right, but a padding is a "
            "number of pixels, a whole number, and the next cell (like Keras) refuses 1.0. In "
            "Python 3 `/` always gives a float; use the division that gives an int."
        )
    return None


# --------------------------------------------------------------------------- the line kernel


def _test_images(n=15):
    """Thin one-pixel lines (value 1 on 0) and a flat grey square, n x n."""
    eye = np.eye(n)
    vertical, horizontal = np.zeros((n, n)), np.zeros((n, n))
    vertical[:, n // 2] = 1.0
    horizontal[n // 2, :] = 1.0
    return {
        "the ↘ line": eye,
        "the ↙ line": eye[:, ::-1].copy(),
        "the vertical line": vertical,
        "the horizontal line": horizontal,
        "the flat grey square": np.full((n, n), 0.5),
    }


_FIXES = {
    "the vertical line": "a vertical line looks the same in every row, so the response is the "
    "sum of each column's weights times the pixels: make every column of the kernel sum to 0",
    "the horizontal line": "a horizontal line looks the same in every column: make every row of "
    "the kernel sum to 0",
}


def _diagonal_fix(k, other, diag):
    """What to say when the ↙ line answers too strongly (``other`` vs ``diag``)."""
    if np.allclose(k, np.fliplr(k)):
        return (
            "your kernel is the same when mirrored left-right, so it cannot tell the two "
            "diagonals apart: put the large weights on the ↘ diagonal only"
        )
    if other > diag:
        return (
            "your large weights run from top-right to bottom-left, so your kernel finds the "
            "other diagonal (↙). Put them on the main diagonal, top-left to bottom-right (↘): "
            "np.fliplr(kernel) mirrors yours"
        )
    return (
        "your kernel responds to the ↙ line almost as strongly: make the weights on the ↙ "
        "diagonal (top-right to bottom-left, apart from the centre) smaller or negative"
    )


def line_responses(kernel):
    """The largest |response| of ``kernel`` on each test image (valid positions only)."""
    from ..byhand.vision import correlate2d

    return {
        name: float(np.abs(correlate2d(img, kernel)).max()) for name, img in _test_images().items()
    }


def _check_line_kernel(kernel):
    try:
        k = np.asarray(kernel, dtype=float)
    except (TypeError, ValueError):
        return not_yet(f"expected a 3x3 array of numbers, got {type(kernel).__name__}")
    if k.shape != (3, 3):
        return not_yet(
            f"your kernel has shape {k.shape}, but should be 3x3 (e.g. np.array([[a, b, c], "
            "[d, e, f], [g, h, i]]))"
        )
    if not np.all(np.isfinite(k)):
        return not_yet("your kernel contains NaN or inf")
    r = line_responses(k)
    flat = r.pop("the flat grey square")
    if flat > 1e-6:
        return not_yet(
            f"on the flat grey square your kernel gives {flat:.3g}, not 0 (to 1e-6): a kernel "
            "that ignores flat regions has weights that sum to 0 (like the edge kernels); "
            f"yours sum to {k.sum():.3g}."
        )
    diag = r.pop("the ↘ line")
    if diag < 1e-6:
        return not_yet(
            "your kernel gives (almost) nothing on the ↘ line: it needs large weights where the "
            "line passes, on the top-left to bottom-right diagonal."
        )
    for name, value in sorted(r.items(), key=lambda item: -item[1]):  # the worst one first
        if value > diag / 2:
            fix = _diagonal_fix(k, value, diag) if name == "the ↙ line" else _FIXES[name]
            return not_yet(
                f"the strongest response on {name} is {value:.3g}, on the ↘ line {diag:.3g}: "
                f"the ↘ line must give at least twice as much. Fix: {fix}."
            )
    worst = max(r, key=r.get)
    return ok(
        f"strongest response: {diag:.3g} on the ↘ line, at most {r[worst]:.3g} elsewhere "
        f"({worst}), 0 on a flat region."
    )


# --------------------------------------------------------------------------- the stack


def _whole(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _check_stack(answer):
    (want_shape, want_params) = STACK_ANSWER
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
        return not_yet(
            "expected a pair ((height, width, channels), n_params), e.g. ((10, 10, 4), 1234); "
            f"got {answer!r}"
        )
    shape, params = answer
    if isinstance(shape, (tuple, list)) and len(shape) == 4 and shape[0] is None:
        return not_yet("leave out the batch dimension: (height, width, channels), three numbers.")
    if not (isinstance(shape, (tuple, list)) and all(_whole(v) for v in shape)):
        return not_yet(
            f"the first item should be the output shape as whole numbers (height, width, "
            f"channels), got {shape!r}"
        )
    shape = tuple(int(v) for v in shape)
    if len(shape) == 4:
        return not_yet("leave out the batch dimension: (height, width, channels), three numbers.")
    if len(shape) != 3:
        return not_yet(f"the output shape has 3 numbers (height, width, channels), got {shape}")
    if not _whole(params):
        return not_yet(f"the parameter count should be a whole number, got {params!r}")
    problems = []
    h, w, c = want_shape
    if shape != want_shape:
        size = shape[:2]
        hw = f"height and width {size}"
        if c != shape[2]:
            problems.append(
                f"{shape[2]} channels: the channels of a Conv2D's output are its number of "
                "filters (the last layer's)"
            )
        if size == (13, 13):
            problems.append(
                f"{hw}: that is what padding='valid' would give in the first layer; "
                "'same' pads so that stride 2 gives ceil(64 / 2)"
            )
        elif size == (16, 16):
            problems.append(
                f"{hw}: the last Conv2D has the default padding='valid', so its 3x3 kernel "
                "trims the border"
            )
        elif size in {(30, 30), (28, 28)}:
            problems.append(
                f"{hw}: the size is halved twice before the last layer - by the stride 2 "
                "of the first Conv2D and by the 2x2 pooling"
            )
        elif size != (h, w):
            problems.append(
                f"{hw}: go layer by layer with n_out = floor((n + 2p - k) / s) + 1 (section "
                "3), and 2x2 pooling halves the size"
            )
    if params != want_params:
        first, second = 5 * 5 * 3 * 8 + 8, 3 * 3 * 8 * 32 + 32
        known = {
            want_params - 8 - 32: "you left out the biases (one per filter, in both Conv2D layers)",
            5 * 5 * 8 + 8 + second: "each filter of the first Conv2D spans all 3 colour channels",
            first + 3 * 3 * 3 * 32 + 32: "the second Conv2D sees the 8 channels the first one "
            "made, not the image's 3",
        }
        problems.append(
            f"{params} parameters {how_far_off(params, want_params)}: "
            + known.get(
                int(params),
                "count each Conv2D with k_h k_w C F + F (C = the channels coming IN) and add "
                "them; pooling has no parameters",
            )
        )
    if problems:
        return not_yet("; ".join(problems) + ".")
    return ok(f"output {want_shape}, {want_params} parameters - now run the next cell.")


EXERCISES = [
    Exercise(
        id="09.same_padding",
        cases=_PADDING_CASES,
        mistakes=_PADDING_MISTAKES,
        guard=_whole_number_padding,
        name="same_padding",
        inputs="k is an odd whole number (the kernel size); return the padding p on each side",
        passed="same_padding keeps the size for k = 1, 3, 5, 7 and 11 - the padding Keras' "
        "'same' uses at stride 1.",
        hint=[
            "Start from n_out = floor((n + 2p - k) / s) + 1 with s = 1: the floor does "
            "nothing, so n_out = n + 2p - k + 1.",
            "You want n_out = n. Write that equation down; n cancels. What is left relates p "
            "and k only.",
            "Solve that equation for p and test it: k = 3 must give p = 1 (section 3). k is "
            "odd, so p is a whole number: use // to return an int.",
        ],
    ),
    Exercise(
        id="09.line_kernel",
        check=_check_line_kernel,
        hint=[
            "Start from the kernels of section 2: which property makes an edge kernel give 0 on "
            "a flat region? Your kernel needs it too.",
            "Put large positive weights where a ↘ line passes through the 3x3 window (the main "
            "diagonal) and negative weights elsewhere. A vertical line adds up each column's "
            "weights, a horizontal line each row's: those sums should be 0.",
            "Start from the identity matrix np.eye(3) (a diagonal of ones) and subtract its mean,"
            " 1/3, from every entry (or scale that by 3 to get whole numbers): every row and "
            "column then sums to 0.",
        ],
    ),
    Exercise(
        id="09.predict_stack",
        check=_check_stack,
        hint=[
            "Go layer by layer and write down the shape after each one (height, width, "
            "channels); a layer's parameters depend on the channels coming into it.",
            "Conv2D(8, 5, strides=2, padding='same') on 64x64x3 gives 32x32x8; 2x2 pooling "
            "halves that; a 3x3 Conv2D with 'valid' padding takes 2 off each side length.",
            "Parameters: 5*5*3*8 + 8 for the first Conv2D, 3*3*8*32 + 32 for the second; "
            "pooling has none.",
        ],
    ),
]
