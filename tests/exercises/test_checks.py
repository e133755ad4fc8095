"""nnlib.exercises: friendly checks, stepped hints, solutions taken from the lessons (one source
per solution), a time limit on the learner's code; every lesson's solution passes its check."""

import functools
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import lessons
from nnlib import exercises as checks
from nnlib.exercises import (
    all_exercises,
    check,
    check_function,
    check_value,
    core,
    get_exercise,
    hint,
    solution,
    solutions,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _lenient(monkeypatch):
    monkeypatch.delenv("NNLIB_STRICT_CHECKS", raising=False)
    monkeypatch.delenv("NNLIB_HIDE_SOLUTIONS", raising=False)


EXERCISES = all_exercises()


def test_every_lesson_with_exercises_is_found():
    ids = [e.id for e in EXERCISES]
    assert "00.weighted_sum" in ids
    assert len(ids) == len(set(ids)), "exercise ids must be unique"
    for ex in EXERCISES:
        assert ex.title and ex.hint, f"{ex.id} needs a title and a hint"


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_reference_solution_passes_its_check(ex):
    if "lesson-namespace" in ex.tags:
        pytest.skip("the check runs the lesson's own code: the lesson's nbval run checks it")
    result = check(ex.id, ex.reference)
    assert result.passed, result.message
    assert result.message.startswith("✅")


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_empty_answers_get_a_friendly_not_yet(ex):
    for empty in (None, ...):
        result = check(ex.id, empty)
        assert not result.passed
        assert "no answer yet" in result.message and f"hint({ex.id!r})" in result.message


def test_wrong_answers_say_what_is_off():
    def wrong_sign(x, w, b):
        return np.dot(x, w) - b

    r = check("00.weighted_sum", wrong_sign)
    assert not r and "differs" not in r.message  # scalar: says got vs expected
    assert "expected" in r.message and "weighted_sum" in r.message

    def no_return(x, w, b):
        np.dot(x, w) + b

    assert "forget a `return`" in check("00.weighted_sum", no_return).message

    def crashes(x, w, b):
        return x @ w @ w

    r = check("00.weighted_sum", crashes)
    assert not r and "raised" in r.message

    def todo(x, w, b):
        raise NotImplementedError

    assert "not written yet" in check("00.weighted_sum", todo).message
    assert "expected a function" in check("00.weighted_sum", 3.0).message


def test_strict_mode_raises_on_a_failed_check(monkeypatch):
    monkeypatch.setenv("NNLIB_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError, match="00.weighted_sum"):
        check("00.weighted_sum", lambda x, w, b: 0.0)
    assert check("00.weighted_sum", get_exercise("00.weighted_sum").reference)


def test_check_never_raises_for_a_checker_crash():
    ex = core.Exercise("00.tmp", "tmp", check=lambda a: 1 / 0, hint="h")
    module = checks._module_for("00.weighted_sum")
    module.EXERCISES.append(ex)
    try:
        r = check("00.tmp", 5)
        assert not r and "ZeroDivisionError" in r.message
    finally:
        module.EXERCISES.remove(ex)


def test_unknown_ids_are_clear_errors():
    with pytest.raises(ValueError, match="two-digit"):
        check("x.y", 1)
    with pytest.raises(ValueError, match="'00.weighted_sum'"):
        check("00.nope", 1)
    with pytest.raises(ValueError, match="no exercises for lesson 99"):
        check("99.nope", 1)


def test_hint_and_solution_print(capsys, monkeypatch):
    monkeypatch.setattr(checks, "_hints_shown", {})
    hint("00.weighted_sum")
    assert "Hint 1 of" in capsys.readouterr().out
    solution("00.weighted_sum")
    assert "def weighted_sum" in capsys.readouterr().out
    monkeypatch.setenv("NNLIB_HIDE_SOLUTIONS", "1")
    solution("00.weighted_sum")
    out = capsys.readouterr().out
    assert "hidden" in out and "def weighted_sum" not in out


def test_compare_arrays_messages():
    assert core.compare_arrays([1, 2], [1, 2]) is None
    assert "a vector of 3 numbers, shape (3,), but should be a vector of 2" in core.compare_arrays(
        [1, 2, 3], [1, 2]
    )
    assert "index (1,)" in core.compare_arrays([1, 5], [1, 2])
    assert "NaN" in core.compare_arrays([np.nan, 1], [0, 1])
    assert "should be a number" in core.compare_arrays("abc", [1])
    assert check_value(0.5, 0.5) and not check_value(0.4, 0.5)


def test_check_function_reports_the_failing_input():
    r = check_function(lambda x: x * 2, lambda x: x * 2 if x < 3 else x, [(1,), (5,)], name="f")
    assert not r and "f(5)" in r.message
    assert r._repr_markdown_() == r.message


# --------------------------------------------------------------------------- one source per solution

LESSON_BLOCKS = {k: v for s in lessons.sources() for k, v in lessons.solution_blocks(s).items()}


def test_every_exercise_has_exactly_one_solution_block_in_its_lesson():
    ids = {ex.id for ex in EXERCISES}
    assert ids == set(LESSON_BLOCKS), (
        f"exercises without a lesson block: {sorted(ids - set(LESSON_BLOCKS))}; "
        f"blocks without an exercise: {sorted(set(LESSON_BLOCKS) - ids)}"
    )
    for exercise_id, block in LESSON_BLOCKS.items():
        assert exercise_id[:2] == block["lesson"][:2], f"{exercise_id} is checked in {block}"


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_solution_prints_exactly_the_lessons_block(ex, capsys):
    solution(ex.id)
    out = capsys.readouterr().out
    header = f"Solution for {ex.id} ({ex.title}):\n\n"
    assert out == header + LESSON_BLOCKS[ex.id]["code"]
    lesson_text = (ROOT / "lessons" / LESSON_BLOCKS[ex.id]["lesson"]).read_text(encoding="utf-8")
    for line in LESSON_BLOCKS[ex.id]["code"].splitlines():
        assert line in lesson_text  # typed once: every printed line is the lesson's
    assert "SOLUTION" not in out, "a # BEGIN/END SOLUTION marker is left in what solution() shows"


def test_the_reference_runs_the_lessons_code():
    ref = get_exercise("02.stable_softmax").reference
    assert ref.__name__ == "softmax"  # the lesson's name, the lesson's signature
    assert "shifted = z - z.max" in LESSON_BLOCKS["02.stable_softmax"]["code"]
    assert get_exercise("01.nand_weights").reference == (-1.0, -1.0, 1.5)
    import inspect

    assert list(inspect.signature(get_exercise("02.leaky_relu").reference).parameters) == [
        "z",
        "alpha",
    ]


def test_no_exercise_module_defines_its_own_reference():
    """The references are the lessons' blocks: no `def` of an answer in nnlib/exercises."""
    names = {b["name"] for b in LESSON_BLOCKS.values()}
    for path in sorted((ROOT / "nnlib" / "exercises").glob("lesson*.py")):
        text = path.read_text(encoding="utf-8")
        for name in names:
            assert f"\ndef {name}(" not in text, f"{path.name} types {name} a second time"


def test_solutions_file_is_up_to_date_and_check_catches_a_stale_one(tmp_path, monkeypatch):
    # the lessons do not change during the test: what stale() builds from them is built once
    for name in ("built", "solutions_text", "names_text"):
        monkeypatch.setattr(lessons, name, functools.cache(getattr(lessons, name)))
    assert lessons.SOLUTIONS.read_text(encoding="utf-8") == lessons.solutions_text()
    stale = tmp_path / "solutions.json"
    stale.write_text(lessons.solutions_text().replace("np.dot(x, w) + b", "x @ w"), "utf-8")
    monkeypatch.setattr(lessons, "SOLUTIONS", stale)
    assert "solutions.json" in lessons.stale()  # `tools/lessons.py check` exits 1 naming it
    stale.write_text(lessons.solutions_text(), "utf-8")  # what `build` writes
    assert "solutions.json" not in lessons.stale()


def test_solution_without_the_lessons_checkout(tmp_path):
    """solution() reads package data, not lessons/: it works where only nnlib is installed."""
    code = (
        "import nnlib, sys; nnlib.solution('04.gd_step'); "
        "assert not any('lessons' in str(p) for p in sys.path)"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    assert "dw = 2 * np.mean(error * x)" in res.stdout
    assert str(solutions.SOLUTIONS_FILE).startswith(str(ROOT / "nnlib"))


def test_unknown_solution_block_is_a_clear_error():
    with pytest.raises(LookupError, match="BEGIN SOLUTION"):
        solutions.solution_code("00.nope")


# --------------------------------------------------------------------------- stepped hints


def test_hint_in_steps_shows_the_next_step_each_call(capsys, monkeypatch):
    ex = core.Exercise("00.steps", "steps", check=lambda a: core.ok(), hint=["one", "two"])
    module = checks._module_for("00.weighted_sum")
    monkeypatch.setattr(module, "EXERCISES", [*module.EXERCISES, ex])
    hint("00.steps")
    first = capsys.readouterr().out
    assert "Hint 1 of 2" in first and "one" in first and "two" not in first
    hint("00.steps")
    second = capsys.readouterr().out
    assert "Hint 2 of 2" in second and "two" in second and "solution('00.steps')" in second
    hint("00.steps")
    again = capsys.readouterr().out  # no step 3: says so and shows the last step again
    assert "No more hints" in again and "two" in again


# --------------------------------------------------------------------------- time limit


def _never_returns(x, w, b):
    while True:
        pass


def _endless_generator(X, y, batch_size, rng):
    while True:
        yield X[:0], y[:0]  # empty batches forever: the check stops it, memory stays flat


def _slow_exercise(monkeypatch, limit=0.5):
    ex = get_exercise("00.weighted_sum")
    monkeypatch.setattr(ex, "time_limit", limit)
    return ex


def test_a_loop_that_never_ends_is_stopped_with_a_message(monkeypatch):
    _slow_exercise(monkeypatch)
    t0 = time.perf_counter()
    r = check("00.weighted_sum", _never_returns)
    assert time.perf_counter() - t0 < 3
    assert not r and "did not return within 0.5 s" in r.message and "loop" in r.message
    # the interpreter is fine afterwards: the next check runs and passes
    assert check("00.weighted_sum", get_exercise("00.weighted_sum").reference)


def test_an_endless_generator_is_stopped():
    t0 = time.perf_counter()
    r = check("06.minibatches", _endless_generator)
    assert time.perf_counter() - t0 < 3
    assert not r and "yields more" in r.message


def test_an_endless_generator_is_stopped_by_the_time_limit_too(monkeypatch):
    ex = get_exercise("06.minibatches")
    monkeypatch.setattr(ex, "time_limit", 0.5)

    def slow_endless(X, y, batch_size, rng):
        while True:  # never yields: only the time limit can stop it
            pass
        yield X, y

    r = check("06.minibatches", slow_endless)
    assert not r and "did not return within 0.5 s" in r.message


def test_time_limit_outside_the_main_thread(monkeypatch):
    """In a worker thread (no SIGALRM there) the exception is raised into the learner's thread."""
    _slow_exercise(monkeypatch)
    box = {}

    def in_thread():
        box["r"] = check("00.weighted_sum", _never_returns)
        box["again"] = check("00.weighted_sum", get_exercise("00.weighted_sum").reference)

    t = threading.Thread(target=in_thread)
    t.start()
    t.join(10)
    assert not t.is_alive()
    assert not box["r"] and "did not return within 0.5 s" in box["r"].message
    assert box["again"]
    assert not any(th.name == "nnlib-check" and th.is_alive() for th in threading.enumerate())


def test_time_limit_restores_the_previous_alarm_handler():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    assert core.call_with_time_limit(lambda a: a + 1, 1.0, 1) == 2
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with pytest.raises(ZeroDivisionError):
        core.call_with_time_limit(lambda a: 1 / a, 1.0, 0)


def test_kernel_stays_usable_after_a_stopped_loop(tmp_path):
    """In a real kernel: an endless loop and endless generators in a learner's function are
    stopped, and the next cell runs."""
    nbformat = pytest.importorskip("nbformat")
    import runner

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from nnlib import check\n"
            "from nnlib.exercises import get_exercise\n"
            "get_exercise('00.weighted_sum').time_limit = 0.5\n"
            "def weighted_sum(x, w, b):\n    while True:\n        pass\n"
            "r = check('00.weighted_sum', weighted_sum)\n"
            "print('STOPPED' if 'did not return within 0.5 s' in r.message else r.message)"
        ),
        nbformat.v4.new_code_cell(
            "get_exercise('06.minibatches').time_limit = 0.5\n"
            "def minibatches(X, y, batch_size, rng):\n    while True:\n        yield X, y\n"
            "def stuck(X, y, batch_size, rng):\n    while True:\n        pass\n    yield X, y\n"
            "r1 = check('06.minibatches', minibatches)\n"
            "r2 = check('06.minibatches', stuck)\n"
            "print('GEN' if 'yields more' in r1.message else r1.message)\n"
            "print('STUCK' if 'did not return within 0.5 s' in r2.message else r2.message)"
        ),
        nbformat.v4.new_code_cell("print('STILL', 1 + 1)"),
    ]
    runner.run_notebook(nb, tmp_path, timeout=60, env={"NNLIB_STRICT_CHECKS": ""})
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "STOPPED" in text and "GEN" in text and "STUCK" in text and "STILL 2" in text


def test_the_lessons_setup_lines_come_with_a_solution(tmp_path):
    """A solution runs on its own: it gets the lesson's imports (and calls such as
    ``keras = nnlib.config.import_keras()``) it needs, never its parameters' namesakes."""
    assert LESSON_BLOCKS["07.build_mnist_model"]["setup"][-1].startswith("keras = ")
    assert LESSON_BLOCKS["06.train_step"]["setup"] == []  # `model` is a parameter
    source = tmp_path / "98_tmp.py"
    source.write_text(
        "# %%\nimport numpy as np\n\nscale = 3.0\n\n\n# %%\ndef f(x):\n    # BEGIN SOLUTION\n"
        "    return np.sum(x) * scale\n    # END SOLUTION\n\n\n# %%\ncheck('98.f', f)\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"98.f uses \['scale'\]"):
        lessons.solution_blocks(source)


# --------------------------------------------------------------------------- numbers, not answers


def test_how_far_off_says_what_is_off_without_the_value():
    assert core.how_far_off(2.0, 1.0) == "is too large by a factor of about 2"
    assert core.how_far_off(0.25, 1.0) == "is too small by a factor of about 4"
    # both negative: the size is what is off (-0.1 against -0.5 is not "too large")
    assert core.how_far_off(-0.1, -0.5) == "is too small in size by a factor of about 5"
    assert core.how_far_off(-1.0, 1.0).startswith("has the wrong sign (the size is right)")
    assert "factor of 100 or more" in core.how_far_off(0.001, 0.431205)
    assert "431" not in core.how_far_off(0.001, 0.431205)
    assert "less than 10 %" in core.how_far_off(1.05, 1.0)
    assert core.how_far_off(1.0, 0.0) == "should be 0"


def test_check_value_never_shows_the_expected_number():
    for wrong in (0.1, 2.0, -0.7, 0.69):
        r = core.check_value(wrong, 0.7071, what="x")
        assert not r and "0.7071" not in r.message and "0.707" not in r.message
    r = core.check_value(np.array([1.0, 5.0]), np.array([1.0, 2.5]), what="v")
    assert not r and "2.5" not in r.message and "factor of about 2" in r.message


def test_check_value_digits_accepts_correct_rounding_only():
    assert core.significant_digits_tolerance(0.431205, 3) == pytest.approx(5e-4)
    assert core.check_value(0.431, 0.431205, digits=3)
    assert core.check_value(1.23e-5, 1.2345e-5, digits=3)
    assert not core.check_value(1.24e-5, 1.2345e-5, digits=3)
    r = core.check_value(0.4, 0.431205, digits=3)
    assert not r and "significant digits" in r.message and "0.431" not in r.message
    assert "one number" in core.check_value("0.431", 0.431205, digits=3).message


def test_shape_messages_speak_the_learners_words():
    one_number = core.compare_arrays(3.0, [1.0, 2.0, 3.0])
    assert "one number" in one_number and "one value per entry (per row" in one_number
    assert "transposed" in core.compare_arrays(np.zeros((3, 2)), np.zeros((2, 3)))


def test_passed_follows_the_latest_check_of_an_exercise(monkeypatch):
    """A lesson cell that goes on with the learner's answer asks `passed` first (lesson 13)."""
    from nnlib import exercises
    from nnlib.exercises import check, passed

    monkeypatch.delenv("NNLIB_STRICT_CHECKS", raising=False)
    monkeypatch.setattr(exercises, "_passed", {})
    assert passed("13.between") is False  # never checked
    assert not check("13.between", ...)  # the blank answer cell
    assert passed("13.between") is False
    assert check("13.between", lambda a, b, n: np.linspace(a, b, n))
    assert passed("13.between") is True
    assert not check("13.between", lambda a, b, n: np.linspace(a, b, n, endpoint=False))
    assert passed("13.between") is False  # the latest check counts
    with pytest.raises(ValueError):
        passed("13.no_such_exercise")
