"""Convolution by hand (lesson 9): correlate/convolve, padding, pooling, output sizes, kernels
(named, or typed as text, applied to an image), parameter counts, and a saliency map.  Lesson 9's
kernel explorer, which shows :func:`apply_kernel` on a photo, is
:func:`nnlib.widgets.kernel_explorer`.

Everything here is NumPy except :func:`saliency_map`, which imports TensorFlow lazily, so
``import nnlib.byhand.vision`` stays fast.

Deep-learning "convolution" layers (Keras ``Conv2D``) compute a *cross-correlation*: the kernel
is slid over the image without flipping it.  :func:`correlate2d` does exactly that;
:func:`convolve2d` flips the kernel first (the textbook convolution).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "KERNELS",
    "conv_output_size",
    "pad2d",
    "correlate2d",
    "convolve2d",
    "conv2d",
    "max_pool2d",
    "avg_pool2d",
    "conv_params",
    "dense_params",
    "saliency_map",
    "parse_kernel",
    "apply_kernel",
]

# 3x3 kernels used in the lesson (float64).  Edge kernels sum to 0 (flat regions -> 0);
# blur kernels sum to 1 (brightness is kept).
KERNELS = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float64),
    "box blur": np.full((3, 3), 1 / 9),
    "gaussian blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float64) / 16,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float64),
    "edges (Laplacian)": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64),
    "vertical edges (Sobel x)": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=np.float64),
    "horizontal edges (Sobel y)": np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]], dtype=np.float64),
}


def _int(value, name, minimum):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def as_array(x, name, ndim):
    """``x`` as a float64 array with ``ndim`` axes, or an error that names ``name``."""
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a numeric array, got {type(x).__name__}")
    a = np.asarray(x)
    if not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
        raise TypeError(f"{name} must be a numeric array, got dtype {a.dtype}")
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape} ({a.ndim}-D)")
    return a.astype(np.float64, copy=False)


def conv_output_size(n, kernel_size, stride=1, padding=0):
    """Output length of a convolution or pooling along one axis.

    .. math:: n_\\text{out} = \\lfloor (n + 2p - k) / s \\rfloor + 1

    ``padding`` is a number of pixels, or ``"valid"`` (0) or ``"same"`` (Keras: output
    ``ceil(n / s)``).
    """
    n = _int(n, "n", 1)
    k = _int(kernel_size, "kernel_size", 1)
    s = _int(stride, "stride", 1)
    if padding == "same":
        return -(-n // s)
    if padding == "valid":
        padding = 0
    p = _int(padding, "padding", 0)
    if n + 2 * p < k:
        raise ValueError(
            f"kernel_size {k} is larger than the padded input {n} + 2*{p} = {n + 2 * p}"
        )
    return (n + 2 * p - k) // s + 1


def pad2d(image, padding, value=0.0):
    """Add ``padding`` rows/columns of ``value`` on every side of a 2-D image."""
    img = as_array(image, "image", 2)
    p = _int(padding, "padding", 0)
    return np.pad(img, p, mode="constant", constant_values=value)


def correlate2d(image, kernel, stride=1, padding=0):
    """Slide ``kernel`` over ``image`` (no flip) and take the weighted sum at each position.

    What a deep-learning "convolution" layer computes.  ``image`` (H, W), ``kernel`` (kh, kw),
    ``padding`` pixels of zeros on each side (or ``"valid"``/``"same"`` for odd kernels at
    stride 1); the output has ``conv_output_size`` rows and columns.
    """
    img = as_array(image, "image", 2)
    ker = as_array(kernel, "kernel", 2)
    s = _int(stride, "stride", 1)
    if padding == "valid":
        padding = 0
    elif padding == "same":
        if ker.shape[0] % 2 == 0 or ker.shape[1] % 2 == 0 or ker.shape[0] != ker.shape[1]:
            raise ValueError(f"padding='same' needs a square kernel of odd size, got {ker.shape}")
        if s != 1:
            raise ValueError(f"padding='same' is only supported with stride 1, got {s}")
        padding = ker.shape[0] // 2
    p = _int(padding, "padding", 0)
    if img.shape[0] + 2 * p < ker.shape[0] or img.shape[1] + 2 * p < ker.shape[1]:
        raise ValueError(
            f"kernel of shape {ker.shape} does not fit in image of shape {img.shape} "
            f"with padding {p}"
        )
    if p:
        img = pad2d(img, p)
    windows = sliding_window_view(img, ker.shape)[::s, ::s]  # (H_out, W_out, kh, kw)
    return np.einsum("ijkl,kl->ij", windows, ker)


def convolve2d(image, kernel, stride=1, padding=0):
    """Textbook convolution: flip the kernel in both axes, then :func:`correlate2d`."""
    ker = as_array(kernel, "kernel", 2)
    return correlate2d(image, ker[::-1, ::-1], stride=stride, padding=padding)


def conv2d(x, kernels, bias=None, stride=1, padding="valid"):
    """A full Conv2D layer's forward pass (no activation), as Keras computes it.

    ``x`` (batch, H, W, C_in) channels-last, ``kernels`` (kh, kw, C_in, C_out) as in
    ``layer.get_weights()[0]``, ``bias`` (C_out,).  Returns (batch, H_out, W_out, C_out).
    ``padding`` is ``"valid"`` or a number of pixels.
    """
    x = as_array(x, "x", 4)
    w = as_array(kernels, "kernels", 4)
    if x.shape[3] != w.shape[2]:
        raise ValueError(
            f"x has {x.shape[3]} channels but kernels expect {w.shape[2]} (shape {w.shape})"
        )
    s = _int(stride, "stride", 1)
    p = 0 if padding == "valid" else _int(padding, "padding", 0)
    if p:
        x = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    kh, kw = w.shape[:2]
    if x.shape[1] < kh or x.shape[2] < kw:
        raise ValueError(f"kernel {kh}x{kw} does not fit in input of shape {x.shape}")
    win = sliding_window_view(x, (kh, kw), axis=(1, 2))[:, ::s, ::s]  # (b, Ho, Wo, C, kh, kw)
    out = np.einsum("bijcuv,uvcf->bijf", win, w)
    if bias is not None:
        b = np.asarray(bias, dtype=np.float64)
        if b.shape != (w.shape[3],):
            raise ValueError(f"bias must have shape ({w.shape[3]},), got {b.shape}")
        out = out + b
    return out


def _pool(image, size, stride, reduce, name):
    img = np.asarray(image)
    if img.ndim not in (2, 3):
        raise ValueError(f"image must be 2-D (H, W) or 3-D (H, W, C), got shape {img.shape}")
    img = img.astype(np.float64)
    k = _int(size, "size", 1)
    s = k if stride is None else _int(stride, "stride", 1)
    if img.shape[0] < k or img.shape[1] < k:
        raise ValueError(f"pool size {k} is larger than the image {img.shape[:2]}")
    win = sliding_window_view(img, (k, k), axis=(0, 1))[::s, ::s]
    return reduce(win, axis=(-2, -1))


def max_pool2d(image, size=2, stride=None):
    """Max pooling over ``size`` x ``size`` windows (stride defaults to ``size``, like Keras)."""
    return _pool(image, size, stride, np.max, "max")


def avg_pool2d(image, size=2, stride=None):
    """Average pooling over ``size`` x ``size`` windows (stride defaults to ``size``)."""
    return _pool(image, size, stride, np.mean, "avg")


def conv_params(kernel_size, in_channels, filters, bias=True):
    """Number of weights of a Conv2D layer: ``kh * kw * C_in * filters (+ filters)``."""
    k = (kernel_size, kernel_size) if isinstance(kernel_size, (int, np.integer)) else kernel_size
    kh, kw = (_int(v, "kernel_size", 1) for v in k)
    c = _int(in_channels, "in_channels", 1)
    f = _int(filters, "filters", 1)
    return kh * kw * c * f + (f if bias else 0)


def dense_params(n_inputs, units, bias=True):
    """Number of weights of a Dense layer: ``n_inputs * units (+ units)``."""
    n = _int(n_inputs, "n_inputs", 1)
    u = _int(units, "units", 1)
    return n * u + (u if bias else 0)


def saliency_map(model, image, class_index=None):
    """|d score / d pixel|: how much each input pixel moves the class score (logit or prob).

    ``model`` is a Keras model, ``image`` one input without the batch axis (e.g. (28, 28, 1)).
    ``class_index`` defaults to the predicted class.  Returns ``(saliency (H, W), class_index)``
    with the maximum absolute gradient over channels.
    """
    import tensorflow as tf

    img = np.asarray(image, dtype=np.float32)
    expected = tuple(model.input_shape[1:])
    if img.shape != expected:
        raise ValueError(f"image must have the model's input shape {expected}, got {img.shape}")
    x = tf.convert_to_tensor(img[None])
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = model(x, training=False)
        if class_index is None:
            class_index = int(tf.argmax(scores[0]))
        n_classes = int(scores.shape[-1])
        if not 0 <= int(class_index) < n_classes:
            raise ValueError(f"class_index must be in 0..{n_classes - 1}, got {class_index}")
        score = scores[0, int(class_index)]
    grad = tape.gradient(score, x)[0].numpy()
    sal = np.abs(grad)
    if sal.ndim == 3:
        sal = sal.max(axis=-1)
    return sal, int(class_index)


# --------------------------------------------------------------------------- kernels as text


def parse_kernel(text):
    """``'0 -1 0; -1 5 -1; 0 -1 0'`` -> a 3x3 float array (rows separated by ``;``).

    A ``ValueError`` says what was expected when ``text`` is not 3 rows of 3 numbers."""
    if not isinstance(text, str):
        raise TypeError(f"the kernel must be text such as '0 -1 0; -1 5 -1; 0 -1 0', got {text!r}")
    rows = [r.split() for r in text.strip().split(";")]
    if len(rows) != 3 or any(len(r) != 3 for r in rows):
        raise ValueError(f"need 3 rows of 3 numbers separated by ';', got {text!r}")
    try:
        return np.array(rows, dtype=float)
    except ValueError:
        raise ValueError(f"need 3 rows of 3 numbers separated by ';', got {text!r}") from None


def apply_kernel(image, kernel_name="sharpen", custom="0 -1 0; -1 5 -1; 0 -1 0", kernels=None):
    """What the kernel explorer shows: ``image`` correlated with ``kernels[kernel_name]``
    (default :data:`KERNELS`), or with :func:`parse_kernel` of ``custom`` when ``kernel_name``
    is ``"custom"``; ``padding="same"``, so the result has the image's shape."""
    kernels = KERNELS if kernels is None else kernels
    if kernel_name == "custom":
        kernel = parse_kernel(custom)
    elif kernel_name in kernels:
        kernel = np.asarray(kernels[kernel_name], dtype=np.float64)
    else:
        raise ValueError(f"unknown kernel {kernel_name!r}; expected one of {[*kernels, 'custom']}")
    return correlate2d(image, kernel, padding="same")
