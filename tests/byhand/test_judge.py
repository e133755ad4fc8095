"""nnlib.byhand.judge (lesson 13): the shipped classifier is lesson 09's CNN with a recorded test
accuracy; real digits score high and noise scores zero; the Verdict's fields and line; bad
arguments are named."""

import numpy as np
import pytest

from nnlib.byhand.judge import Verdict, build_classifier, judge, load_digit_classifier


@pytest.fixture(scope="module")
def classifier():
    return load_digit_classifier()


def test_it_is_lesson_09s_cnn_with_its_test_accuracy(classifier):
    assert classifier.count_params() == 225_034 == build_classifier().count_params()
    info = classifier.info
    assert info["data"] == "real MNIST" and info["test_accuracy"] >= 0.985
    assert info["real_confident"] >= 0.9 and info["noise_confident"] <= 0.05


def test_real_digits_and_noise_are_the_two_ends(classifier):
    from nnlib.data import load_mnist

    _, (x_test, y_test) = load_mnist(verbose=False)  # offline in the tests: the fallback subset
    real = judge(x_test[:100] / 127.5 - 1, classifier)
    assert real.confident >= 0.85 and len(real.classes) == 10
    assert np.mean(real.labels == y_test[:100]) >= 0.9
    noise = judge(np.random.default_rng(0).standard_normal((100, 784)).clip(-1, 1), classifier)
    assert noise.confident <= 0.05


def test_verdict_fields_and_line():
    probs = np.zeros((4, 10))
    probs[0, 3] = probs[1, 3] = 1.0  # two confident 3s
    probs[2, 7] = 0.95  # a confident 7
    probs[2, 1] = 0.05
    probs[3] = 0.1  # undecided
    v = Verdict(0.75, [3, 7], [0, 0, 0, 2, 0, 0, 0, 1, 0, 0], probs)
    assert v.n == 4 and list(v.labels[:3]) == [3, 3, 7]
    assert str(v) == (
        "3 of 4 images (75%) classified with p >= 0.9; 2 of 10 classes among them "
        "(missing: 0, 1, 2, 4, 5, 6, 8, 9)"
    )


def test_judge_counts_only_the_confident(classifier):
    class Fixed:
        def predict(self, x, batch_size=None, verbose=0):
            p = np.full((len(x), 10), 0.01)
            p[:, 2] = 0.91
            p[0] = 0.1  # the first image: undecided
            return p

    v = judge(np.zeros((5, 28, 28)), Fixed())
    assert v.confident == 0.8 and v.classes == [2] and v.counts[2] == 4 and sum(v.counts) == 4
    assert judge(np.zeros((5, 28, 28, 1)), Fixed(), threshold=0.95).confident == 0


@pytest.mark.parametrize(
    "images, kwargs, error, words",
    [
        (np.zeros((3, 10)), {}, ValueError, "(n, 28, 28)"),
        ("digits", {}, TypeError, "images must be an array"),
        (np.full((2, 28, 28), 255.0), {}, ValueError, "x / 127.5 - 1"),
        (np.full((2, 28, 28), np.nan), {}, ValueError, "NaN"),
        (np.zeros((2, 28, 28)), {"threshold": 1.5}, ValueError, "probability"),
        (np.zeros((2, 28, 28)), {"threshold": "high"}, TypeError, "threshold must be a number"),
        (np.zeros((2, 28, 28)), {"classifier": "cnn"}, TypeError, "load_digit_classifier"),
    ],
)
def test_bad_arguments_are_named(classifier, images, kwargs, error, words):
    kwargs = {"classifier": classifier, **kwargs}
    with pytest.raises(error) as info:
        judge(images, **kwargs)
    assert words in str(info.value), str(info.value)
