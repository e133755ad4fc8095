"""Lesson 09 (convolutional networks): output size, a 2-D convolution, a parameter count."""

import numpy as np

from .core import Exercise, check_function, check_value, not_yet, ok
from .solutions import lesson_solution

conv_output_size = lesson_solution("09.conv_output_size")
correlate2d = lesson_solution("09.correlate2d")
CONV_PARAMS = lesson_solution("09.conv_params")  # Conv2D(16, 5) on an RGB image


def _check_output_size(fn):
    cases = [(28, 3, 1, 0), (28, 3, 1, 1), (28, 5, 2, 2), (7, 2, 2, 0), (32, 4, 3, 1), (5, 5, 1, 0)]
    return check_function(fn, conv_output_size, cases)


_rng = np.random.default_rng(9)
_CORR_CASES = [
    (np.arange(16.0).reshape(4, 4), np.array([[1.0, 0.0], [0.0, -1.0]])),
    (_rng.normal(size=(6, 5)), _rng.normal(size=(3, 3))),
    (_rng.normal(size=(5, 7)), np.array([[1.0, 2.0, 3.0]])),  # non-square kernel
]


def _check_correlate(fn):
    result = check_function(fn, correlate2d, _CORR_CASES)
    if result:
        return result
    # Name the most common mistake: flipping the kernel (true convolution).
    img, ker = _CORR_CASES[1]
    try:
        got = np.asarray(fn(img.copy(), ker.copy()), dtype=float)
        flipped = correlate2d(img, ker[::-1, ::-1])
        if got.shape == flipped.shape and np.allclose(got, flipped):
            return not_yet(
                "you flipped the kernel (that is the textbook convolution). Keras' Conv2D "
                "does not flip: multiply image[i:i+kh, j:j+kw] by the kernel as it is."
            )
    except Exception:
        pass
    return result


def _check_conv_params(value):
    if not isinstance(value, (int, np.integer, float)):
        return not_yet(f"expected a number, got {type(value).__name__}")
    if value == 5 * 5 * 3 * 16:
        return not_yet("close - you forgot the 16 biases (one per filter).")
    if value == 5 * 5 * 16 + 16:
        return not_yet("each filter spans all 3 input channels: 5 * 5 * 3 weights per filter.")
    res = check_value(value, CONV_PARAMS, what="your count")
    return ok(f"{CONV_PARAMS} = 5*5*3*16 weights + 16 biases.") if res else res


EXERCISES = [
    Exercise(
        id="09.conv_output_size",
        title="Output size of a convolution",
        check=_check_output_size,
        hint=[
            "Draw a row of n pixels, pad p on each side, and count by hand how many windows of"
            " size k fit when you move s pixels at a time.",
            "With padding the row is n + 2p long. The first window starts at 0; how many more "
            "starts fit in the remaining n + 2p - k positions?",
            "Count the extra starts with integer division by s (//), then add 1 for the first "
            "window.",
        ],
    ),
    Exercise(
        id="09.correlate2d",
        title="A 2-D convolution (cross-correlation) by hand",
        check=_check_correlate,
        hint=[
            "The lesson's formula Y_ij = sum over u, v of X_(i+u, j+v) K_(u, v): the kernel "
            "slides over the image without flipping and without padding.",
            "The output has one entry per position where the whole kernel fits: (H - kh + 1, W"
            " - kw + 1). Create it with np.zeros first.",
            "Two loops over i and j; each entry is the sum of the elementwise product of the "
            "kernel and the image patch of the kernel's size starting at (i, j).",
        ],
    ),
    Exercise(
        id="09.conv_params",
        title="Parameters of a Conv2D layer",
        check=_check_conv_params,
        hint=[
            "See the summary formula k_h k_w C F + F: a Conv2D layer's parameter count does "
            "not depend on the image size.",
            "One filter sees a 5 x 5 patch of EACH of the 3 input channels, and has one bias.",
            "Multiply the weights of one filter by the 16 filters, then add one bias per filter.",
        ],
    ),
]
