"""nnlib.byhand.decoding and nnlib.widgets.decoding (lesson 12): greedy, temperature and top-k
against the formulas, generation with a fake model, the widget's plain values and its figure,
and the exercise 12.cold_limit (the solution passes, typical wrong answers are named, the
expected numbers are never shown)."""

import numpy as np
import pytest
from helpers import run, widget_figure_problems

from nnlib.byhand.decoding import decode_probs, generate
from nnlib.exercises import get_exercise
from nnlib.exercises.solutions import lesson_solution, solution_code
from nnlib.widgets.decoding import decoding_explorer, decoding_view

Z = np.array([2.0, 1.0, 3.0, 0.5, -1.0])


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def test_temperature_is_softmax_of_scaled_logits():
    for t in (0.3, 1.0, 2.5):
        np.testing.assert_allclose(decode_probs(Z, t), _softmax(Z / t))
    # lower temperature: the top character gains, higher: it loses
    assert decode_probs(Z, 0.5)[2] > decode_probs(Z, 1)[2] > decode_probs(Z, 2)[2]


def test_greedy_is_the_limit_and_splits_ties():
    np.testing.assert_array_equal(decode_probs(Z, 0.0), [0, 0, 1, 0, 0])
    np.testing.assert_allclose(decode_probs(Z, 0.01), decode_probs(Z, 0.0), atol=1e-30)
    tied = np.array([2.0, 1.0, 3.0, 3.0, -1.0])
    np.testing.assert_allclose(decode_probs(tied, 0.0), [0, 0, 0.5, 0.5, 0])


def test_top_k_keeps_the_k_highest_and_renormalises():
    p = decode_probs(Z, 1.0, top_k=2)
    expected = np.zeros(5)
    expected[[2, 0]] = _softmax(np.array([3.0, 2.0]))
    np.testing.assert_allclose(p, expected)
    np.testing.assert_allclose(decode_probs(Z, 1.0, top_k=5), _softmax(Z))
    np.testing.assert_array_equal(decode_probs(Z, 1.0, top_k=1), decode_probs(Z, 0.0))
    batch = np.stack([Z, -Z])
    assert decode_probs(batch, 0.7, top_k=3).shape == (2, 5)
    np.testing.assert_allclose(decode_probs(batch, 0.7, top_k=3).sum(-1), 1)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"temperature": -1}, ValueError, ">= 0"),
        ({"temperature": "hot"}, TypeError, "must be a number"),
        ({"top_k": 0}, ValueError, "from 1 to the 5"),
        ({"top_k": 2.0}, TypeError, "int or None"),
    ],
)
def test_bad_rules_are_named(kwargs, error, words):
    with pytest.raises(error, match=words):
        decode_probs(Z, **kwargs)


def _counting_model(ids):
    """A fake model over 5 characters: the next character is most likely (last + 1) % 5."""
    z = np.zeros(5)
    z[(ids[-1] + 1) % 5] = 3.0
    return z


def test_generate_greedy_is_deterministic_and_sampling_is_seeded():
    assert generate(_counting_model, [0], 6, temperature=0) == [1, 2, 3, 4, 0, 1]
    assert generate(_counting_model, [0], 6, temperature=0, seed=5) == [1, 2, 3, 4, 0, 1]
    a = generate(_counting_model, [0], 30, temperature=1.5, seed=1)
    assert a == generate(_counting_model, [0], 30, temperature=1.5, seed=1)
    assert a != generate(_counting_model, [0], 30, temperature=1.5, seed=2)
    assert generate(_counting_model, [0], 0) == []
    with pytest.raises(TypeError, match="next_logits must be a function"):
        generate("model", [0], 3)


class _Vocab:
    chars = ["a", "b", " ", "\n", "c"]

    def decode(self, ids):
        return "".join(self.chars[i] for i in ids)


def test_widget_values_and_figure():
    model_p, rule_p, new_ids = decoding_view(_counting_model, [0], 0.0, None, n=4)
    np.testing.assert_allclose(model_p, _softmax(_counting_model([0])))
    np.testing.assert_array_equal(rule_p, [0, 1, 0, 0, 0])
    assert new_ids == [1, 2, 3, 4]
    box = decoding_explorer(_counting_model, _Vocab(), [0], n=5, shown=4)
    assert box.controls["temperature"].continuous_update is False
    assert "a" in box.text.value and box.view.image.tooltip  # prompt shown, alt text set
    box.update(temperature=0.0, top_k=0)
    assert "<b>b \nca</b>" in box.text.value  # greedy: 1, 2, 3, 4, 0
    assert "greedy" in box.view.fig.axes[0].get_title()
    box.update(temperature=1.0, top_k=2)
    assert "top-2" in box.view.fig.axes[0].get_title()


# ----------------------------------------------------------------------- exercise 12.cold_limit


def test_cold_limit_solution_passes_and_first_hint_gives_nothing_away():
    assert run("12.cold_limit", lesson_solution("12.cold_limit"))
    ex = get_exercise("12.cold_limit")
    assert len(ex.hint_steps) >= 2
    body = [line.strip() for line in solution_code("12.cold_limit").splitlines() if line.strip()]
    assert not any(line in ex.hint_steps[0] for line in body)


@pytest.mark.parametrize(
    "wrong, words",
    [
        (np.full(5, 0.2), "T -> infinity"),  # hot and cold confused: the typical mistake
        (_softmax(np.array([2.0, 1.0, 3.0, 3.0, -1.0])), "softmax(z) itself"),
        (np.array([0.0, 0.0, 1.0, 0.0, 0.0]), "share the highest score"),  # ties ignored
        (2, "one number"),  # argmax index instead of a distribution
        (np.array([0, 0, 1, 1, 0.0]), "sum to 1"),
        (np.array([np.nan, 0, 1, 0, 0]), "overflow"),
        ([0.5, 0.5], "expected 5"),
        (None, "still None"),
        (np.array([0.1, 0.0, 0.45, 0.45, 0.0]), "not the limit"),
    ],
)
def test_cold_limit_wrong_answers_are_named(wrong, words):
    result = run("12.cold_limit", wrong)
    assert not result and words in result.message, result.message


def test_cold_limit_never_shows_the_expected_numbers():
    for wrong in ([0.0, 0.0, 0.6, 0.4, 0.0], [0.1, 0.1, 0.4, 0.4, 0.0], np.full(5, 0.2)):
        message = run("12.cold_limit", np.array(wrong)).message
        assert "0.5" not in message and "1/2" not in message, message


class _BibleLikeVocab:
    chars = sorted(set("\n !'(),-.:;?ABCDEFGHIJKLMNOPRSTUVWYZabcdefghijklmnopqrstuvwxyz0123456789"))

    def decode(self, ids):
        return "".join(self.chars[i] for i in ids)


def _wide_model(ids):
    """A fake model over the 72 characters: a fixed ramp, shifted by the last character."""
    return np.roll(np.linspace(3.0, -3.0, len(_BibleLikeVocab.chars)), int(ids[-1]) % 7)


@pytest.mark.parametrize("style", ["classroom", "default"])
def test_widget_figure_reads_in_both_styles(style, monkeypatch):
    """As tests/show/test_figures_classroom.py checks the other widgets: labels, colour plus hatch,
    no overlapping or cut text, at the start and with each slider at both ends."""
    from nnlib.show.plotting import use_style

    use_style(style)
    try:
        vocab = _BibleLikeVocab()
        problems = widget_figure_problems(
            monkeypatch, lambda: decoding_explorer(_wide_model, vocab, [5, 9, 3], n=20)
        )
        assert not problems, problems[:6]
    finally:
        use_style("default")
