"""The judge of lesson 13's generated digits: lesson 09's CNN, trained on the real MNIST by
``tools/train_ddpm.py`` and shipped in ``nnlib/data/checkpoints/``, labels each image; a sample
counts as a convincing digit when the CNN gives one class a probability of at least 0.9.

* :func:`load_digit_classifier` - the CNN (``classifier.info``: its test accuracy, how it trained);
* :func:`build_classifier` - lesson 09's architecture, untrained;
* :func:`judge` - a :class:`Verdict`: the confident fraction, the classes among the confident.

The quality scale's two ends (printed by the script into the checkpoint's info): 100 real test
digits and 100 images of pure noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["CLASSIFIER", "Verdict", "build_classifier", "load_digit_classifier", "judge"]

CLASSIFIER = "digit_classifier"


def build_classifier():
    """Lesson 09's CNN (``lessons/09_cnn.py``, ``build_cnn``): uint8-scale images (n, 28, 28, 1)
    in 0..255, rescaled inside, two conv + pooling stages, Dense 128, dropout, softmax over 10."""
    from ..config import import_keras

    keras = import_keras()
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Rescaling(1 / 255, name="scale"),
            keras.layers.Conv2D(32, 3, activation="relu", name="conv1"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu", name="conv2"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, name="logits"),
            keras.layers.Activation("softmax"),
        ],
        name="cnn",
    )


def load_digit_classifier(folder=None):
    """Lesson 09's CNN with the weights ``tools/train_ddpm.py`` trained on the real MNIST;
    ``classifier.info`` is the checkpoint's info (``test_accuracy``, ``epochs``, the scale's ends
    ``real_confident`` and ``noise_confident``, ``log``)."""
    from .denoiser import _load_weights, checkpoint_info

    info = checkpoint_info(CLASSIFIER, folder)
    model = build_classifier()
    _load_weights(model, Path(info["log"]).with_name(f"{CLASSIFIER}.npz"))
    model.info = info
    return model


@dataclass
class Verdict:
    """What the classifier makes of ``n`` images.

    ``confident``: the fraction whose highest class probability is at least ``threshold``;
    ``classes``: the sorted classes predicted for those confident images; ``counts``: 10 ints,
    how many confident images each class got; ``probs``: (n, 10) class probabilities."""

    confident: float
    classes: list
    counts: list
    probs: np.ndarray = field(repr=False)
    threshold: float = 0.9

    @property
    def n(self):
        return len(self.probs)

    @property
    def labels(self):
        """The predicted class of every image (n,)."""
        return self.probs.argmax(axis=1)

    def __str__(self):
        missing = sorted(set(range(10)) - set(self.classes))
        k = int(round(self.confident * self.n))
        return (
            f"{k} of {self.n} images ({self.confident:.0%}) classified with p >= "
            f"{self.threshold:g}; {len(self.classes)} of 10 classes among them"
            + (f" (missing: {', '.join(map(str, missing))})" if missing else "")
        )


def _as_images(images):
    if isinstance(images, (str, bytes)) or images is None:
        raise TypeError(f"judge: images must be an array, got {type(images).__name__}")
    try:
        x = np.asarray(images, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(
            f"judge: images must be an array of numbers, got {type(images).__name__}"
        ) from None
    if x.ndim < 2 or x.shape[0] < 1 or int(np.prod(x.shape[1:])) != 784:
        raise ValueError(
            "judge: images must be (n, 28, 28), (n, 28, 28, 1) or (n, 784) in [-1, 1] (what "
            f"sample() returns), got shape {x.shape}"
        )
    if not np.isfinite(x).all():
        raise ValueError("judge: images contain NaN or infinite values")
    if x.min() >= 0 and x.max() > 1.5:
        raise ValueError(
            f"judge: images must be in [-1, 1] (what sample() returns), got values up to "
            f"{x.max():g}; scale uint8 digits with x / 127.5 - 1"
        )
    return x.reshape(-1, 28, 28, 1)


def judge(images, classifier, threshold=0.9):
    """Label ``images`` (in [-1, 1]: (n, 28, 28), (n, 28, 28, 1) or (n, 784)) with
    ``classifier`` and return a :class:`Verdict`.  The images are clipped to [-1, 1] and mapped to
    0..255, the range the CNN trained on."""
    x = _as_images(images)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
        raise TypeError(f"judge: threshold must be a number, got {threshold!r}")
    if not 0 < threshold <= 1:
        raise ValueError(f"judge: threshold must be a probability in (0, 1], got {threshold}")
    if not callable(getattr(classifier, "predict", None)):
        raise TypeError(
            "judge: classifier must be a Keras model (load_digit_classifier()), got "
            f"{type(classifier).__name__}"
        )
    x255 = (np.clip(x, -1.0, 1.0) + 1.0) * 127.5
    if hasattr(classifier, "layers"):  # a Keras model: called directly (no predict() tracing)
        batches = [classifier(x255[i : i + 250], training=False) for i in range(0, len(x255), 250)]
        probs = np.concatenate([np.asarray(b, dtype=np.float64) for b in batches])
    else:
        probs = np.asarray(classifier.predict(x255, batch_size=250, verbose=0), dtype=np.float64)
    conf = probs.max(axis=1) >= threshold
    counts = np.bincount(probs.argmax(axis=1)[conf], minlength=10)
    return Verdict(
        confident=float(conf.mean()),
        classes=[int(c) for c in np.flatnonzero(counts)],
        counts=[int(c) for c in counts],
        probs=probs,
        threshold=float(threshold),
    )
