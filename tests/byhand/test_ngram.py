"""nnlib.byhand.ngram (lesson 12's count tables): the back-off rule against counts done by hand,
proper distributions, every order from one table, and clear errors."""

import numpy as np
import pytest

from nnlib.byhand.ngram import NGramModel, ngram_ladder

TEXT = np.array([0, 1, 2, 0, 1, 2, 0, 1, 0, 2, 1, 0])  # 12 characters, vocabulary of 3 (+1 unused)
V = 4


def _by_hand(ids, target_pos, order, k):
    """P(ids[target_pos] | up to order-1 characters before it), the rule written out."""
    train = TEXT.tolist()
    p = (train.count(ids[target_pos]) + 1) / (len(train) + V)
    for m in range(1, order):
        if target_pos - m < 0:
            break
        h = list(ids[target_pos - m : target_pos])
        c_h = sum(train[i : i + m] == h for i in range(len(train) - m))  # followed by something
        c_hc = sum(train[i : i + m + 1] == h + [ids[target_pos]] for i in range(len(train) - m))
        p = (c_hc + k * p) / (c_h + k)
    return p


@pytest.mark.parametrize("order, k", [(1, 1.0), (2, 1.0), (3, 0.5), (4, 2.0)])
def test_probabilities_are_the_back_off_rule_written_out(order, k):
    model = NGramModel(TEXT, V, order=order, k=k)
    held_out = np.array([1, 2, 0, 3, 0, 1, 1, 2])  # 3 never came; "1 1" never came
    got = model.probs_of(held_out)
    expected = [_by_hand(held_out.tolist(), t, order, k) for t in range(1, len(held_out))]
    np.testing.assert_allclose(got, expected)
    assert model.bits_per_char(held_out) == pytest.approx(-np.mean(np.log2(expected)))


def test_every_context_gives_a_distribution_and_never_zero():
    model = NGramModel(TEXT, V, order=4)
    for context in ([], [0], [0, 1], [2, 1, 0], [3, 3, 3], [1, 2, 0, 1, 2]):
        p = model.next_probs(context)
        assert p.shape == (V,) and np.isclose(p.sum(), 1) and p.min() > 0
    # a well-seen context follows its counts: after "0 1", 2 came twice and 0 once
    p = model.next_probs([0, 1])
    assert p[2] > p[0] > p[3]
    # next_probs and probs_of agree
    ids = np.array([2, 0, 1, 2])
    assert model.probs_of(ids)[-1] == pytest.approx(model.next_probs(ids[:-1])[2])


def test_one_table_answers_every_order_and_shrinks():
    model = NGramModel(TEXT, V, order=4)
    held_out = np.array([0, 1, 2, 0, 2, 1, 0, 1])
    by_order = model.bits_by_order(held_out)
    assert list(by_order) == [1, 2, 3, 4]
    for n, bits in by_order.items():
        alone = NGramModel(TEXT, V, order=n).bits_per_char(held_out)
        assert bits == pytest.approx(alone) == pytest.approx(model.bits_per_char(held_out, n))
    assert model.shrink(2) is model and model.order == 2 and list(model.tables) == [1]
    assert model.bits_per_char(held_out) == pytest.approx(by_order[2])
    assert ngram_ladder(TEXT, held_out, V, max_order=3) == pytest.approx(
        {n: by_order[n] for n in (1, 2, 3)}
    )
    with pytest.raises(ValueError, match="from 1 to this model's 2"):
        model.bits_per_char(held_out, order=3)


def test_context_counts():
    model = NGramModel(TEXT, V, order=3)
    # contexts before positions 2.. of [0, 1, 2, 2]: "0 1" came 3 times, "1 2" twice
    np.testing.assert_array_equal(model.context_counts(np.array([0, 1, 2, 2]), 3), [3, 2])
    with pytest.raises(ValueError, match="order >= 2"):
        model.context_counts(TEXT, 1)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"order": 0}, "order must be an int >= 1"),
        ({"k": 0}, "k (the back-off pseudo-count)"),
        ({"order": 12, "vocab_size": 72}, "too long"),
    ],
)
def test_bad_settings_are_named(kwargs, words):
    args = {"train_ids": TEXT, "vocab_size": V, **kwargs}
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        NGramModel(**args)


def test_bad_ids_are_named():
    model = NGramModel(TEXT, V, order=2)
    with pytest.raises(ValueError, match="outside 0..3"):
        model.probs_of(np.array([0, 4]))
    with pytest.raises(ValueError, match="1-D array"):
        model.probs_of(np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match="at least 2"):
        model.probs_of(np.array([1]))
    with pytest.raises(ValueError, match="from 1 to this model's 2"):
        model.bits_per_char(TEXT, order=3)
