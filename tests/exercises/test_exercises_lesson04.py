"""Lesson 04 exercises: references pass, typical mistakes get a message naming the problem."""

import numpy as np
import pytest
from helpers import run

from nnlib.exercises import lesson04 as L


@pytest.mark.parametrize("ex", L.EXERCISES, ids=lambda e: e.id)
def test_reference_passes(ex):
    assert run(ex.id, ex.reference)


# The known mistakes of 04.mse_grad, 04.bce and 04.gd_step (their tables in lesson04) are
# tested by tests/exercises/test_exercise_mistakes.py; here, the generic messages.


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda y, p: (2 * (p - y) / p.size)[:, :1], "shape"),
        (lambda y, p: None, "None"),
        (lambda y, p: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_mse_grad_mistakes(wrong, words):
    result = run("04.mse_grad", wrong)
    assert not result and words in result.message


def test_bce_none_says_return():
    result = run("04.bce", lambda y, p: None)
    assert not result and "None" in result.message


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda w, b, x, y, lr: w, "shape"),
        (lambda w, b, x, y, lr: None, "None"),
    ],
)
def test_gd_step_mistakes(wrong, words):
    result = run("04.gd_step", wrong)
    assert not result and words in result.message


def test_bce_without_clip_shows_what_it_returns():
    def no_clip(y, p):
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    result = run("04.bce", no_clip)
    assert not result and "(confidently wrong) you return inf: clip p" in result.message


def test_mse_grad_one_number_for_an_array_says_so_in_words():
    res = run("04.mse_grad", lambda y_true, y_pred: np.mean(2 * (y_pred - y_true)))
    assert not res and "is one number" in res.message and "one value per entry" in res.message


# --------------------------------------------------------------------------- 04.choose_lr


# Every rate the lesson's rule gives: 1 / and just under 2 / the steepest curvature (13.4), the
# lesson's own 0.1, the one-parameter 1 / L''(w) = 1 / 12, and a "safe" half of 1 / 13.4.
@pytest.mark.parametrize("lr", [0.0373 * 1.01, 0.05, 1 / 13.4, 1 / 12, 0.1, 0.14, 2 / 14])
def test_choose_lr_accepts_rates_that_reach_the_target(lr):
    assert run("04.choose_lr", lr)


@pytest.mark.parametrize("lr", [0.015, 0.02, 0.03, 0.037])
def test_choose_lr_a_swept_rate_far_below_the_limit_is_sent_to_the_rule(lr):
    """Issue 27: 0.015 to 0.037 reach the target in 50 steps, but no reasoning from 2 / (steepest
    curvature) gives them; the message sends the learner to the rule, without its number."""
    res = run("04.choose_lr", lr)
    assert not res and "2 / (steepest curvature)" in res.message
    assert "0.149" not in res.message and "13.4" not in res.message
    # the advice followed (a rate not far below 2 / steepest curvature) passes
    assert run("04.choose_lr", 0.9 * 2 / 13.4 * 0.95)


def test_choose_lr_the_one_parameter_limit_is_named():
    res = run("04.choose_lr", 2 / 12)  # 2 / L''(w): b ignored
    assert not res and "for w" in res.message and "alone" in res.message


@pytest.mark.parametrize(
    "lr, words",
    [
        (0.001, "too small"),
        (0.01, "too small"),  # MSE 0.013: close, but not below 0.01
        (0.145, "overshoots"),  # converges, too slowly
        (0.149, "overshoots"),
        (0.15, "diverges"),
        (0.5, "diverges"),
        (1e9, "diverges"),
    ],
)
def test_choose_lr_says_too_small_or_too_large(lr, words):
    res = run("04.choose_lr", lr)
    assert not res and words in res.message and "Traceback" not in res.message


@pytest.mark.parametrize(
    "answer, words",
    [
        (None, "still None"),
        ("0.1", "one positive number"),
        ([0.1], "one positive number"),
        (True, "one positive number"),
        (-0.1, "positive"),
        (0, "positive"),
    ],
)
def test_choose_lr_wrong_kinds(answer, words):
    res = run("04.choose_lr", answer)
    assert not res and words in res.message


def test_choose_lr_range_matches_the_lesson_claims():
    """The rates that work are about 0.015 .. 0.143; the divergence limit is 2 / 13.4."""
    steep = L._toy_curvatures()[1]
    assert abs(steep - 13.40) < 0.01 and abs(2 / steep - 0.1492) < 1e-3
    works = [lr for lr in np.arange(0.001, 0.2, 0.001) if L._toy_run(lr)[-1] < 0.01]
    assert 0.014 <= min(works) <= 0.016 and 0.142 <= max(works) <= 0.144


# --------------------------------------------------------------------------- the lesson itself


def _lesson_tree():
    import ast
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "lessons" / "04_loss_gradient_descent.py"
    return source.read_text(encoding="utf-8"), ast.parse(source.read_text(encoding="utf-8"))


def test_lesson_data_names_do_not_clash_with_exercise_arguments():
    """A learner who reproduces a failing check input (x = ..., y = ...) must not break the
    lesson's cells: the data are called bmi and progression, not x and y."""
    import ast

    _, tree = _lesson_tree()
    top = {
        t.id
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.For))
        for t in ast.walk(node.targets[0] if isinstance(node, ast.Assign) else node.target)
        if isinstance(t, ast.Name)
    }
    assert not top & {"x", "y", "y_true", "y_pred", "lr"}, top & {"x", "y", "y_true", "lr"}
    assert {"bmi", "progression"} <= top


def test_lesson_setup_is_in_the_first_code_cell():
    """After a restart, running the first code cell is enough: every import is there."""
    import re

    text, _ = _lesson_tree()
    cells = re.split(r"^# %%.*$", text, flags=re.M)
    first_code = next(c for c in cells[1:] if c.strip() and not c.lstrip().startswith("# "))
    for name in ("np", "plt", "widgets", "display", "nn", "surfaces", "OKABE_ITO", "release_note"):
        assert re.search(rf"\bimport\b.*\b{name}\b", first_code), name
    rest = text[text.index(first_code) + len(first_code) :]
    assert not re.search(r"^(import|from) ", rest, flags=re.M)


# --------------------------------------------------------------------------- 04.bce (a debug)


def bce_classmate(y_true, p):  # the lesson's cell, unchanged
    return float(-np.mean(y_true * np.log(p)))


def test_bce_the_classmates_code_unchanged_names_both_bugs():
    with np.errstate(divide="ignore"):
        result = run("04.bce", bce_classmate)
    assert not result and "like the classmate's" in result.message
    assert "(1 - y) * log(1 - p)" in result.message and "lazy model" in result.message
    assert "clip p" in result.message


def test_bce_half_fixed_names_what_is_left():
    def clipped_only(y, p):
        return float(-np.mean(y * np.log(np.clip(p, 1e-7, 1 - 1e-7))))

    result = run("04.bce", clipped_only)
    assert not result and "the clip is right" in result.message and "label 0" in result.message

    def label0_with_log_p(y, p):
        p = np.clip(p, 1e-7, 1 - 1e-7)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(p)))

    result = run("04.bce", label0_with_log_p)
    assert not result and "-log(1 - p), not -log(p)" in result.message


def test_bce_the_lazy_model_wins_only_the_classmates_loss():
    """The lesson's claim: the classmate's loss prefers the lazy model, the right one does not."""
    y = np.array([1.0, 0.0, 1.0, 0.0])
    honest, lazy = np.array([0.9, 0.1, 0.8, 0.2]), np.full(4, 0.999)
    ref = L.EXERCISES[1].reference
    assert bce_classmate(y, lazy) < bce_classmate(y, honest)
    assert ref(y, honest) < ref(y, lazy)


def test_bce_clipped_sum_is_named_as_a_sum_not_a_factor():
    """The review's learner summed a clipped loss and got only "a factor of about 4"."""

    def clipped_sum(y, p):
        p = np.clip(p, 1e-7, 1 - 1e-7)
        return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))

    result = run("04.bce", clipped_sum)
    assert not result and "MEAN" in result.message and "summed" in result.message
