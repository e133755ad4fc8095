"""nnlib.byhand.perceptron and nnlib.widgets.perceptron: lesson 01's step button, headless - the logic, the widget, and the lesson's
check cell after the decision-line widget for any slider state a learner can leave."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

from pathlib import Path  # noqa: E402

import jupytext  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import data  # noqa: E402
from nnlib.byhand.perceptron import PerceptronStepper  # noqa: E402
from nnlib.exercises.solutions import lesson_solution  # noqa: E402
from nnlib.widgets import perceptron_stepper  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
AND = np.array([0, 0, 0, 1])


def train(X, y, epochs=50, lr=1.0):
    """Lesson 01's perceptron_train: the fixed perceptron of exercise 01.debug_perceptron."""
    return lesson_solution("01.debug_perceptron")(X, y, epochs, lr)


@pytest.mark.parametrize("target", [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0]])
def test_stepping_to_convergence_ends_where_perceptron_train_does(target):
    X4, _ = data.xor_data()
    s = PerceptronStepper(X4, target)
    s.run()
    assert s.last.converged and s.mistakes() == 0
    w, b = train(X4, np.array(target))
    assert np.array_equal(s.w, w) and s.b == b


def test_each_step_is_one_update_on_a_wrong_point():
    X4, _ = data.xor_data()
    s = PerceptronStepper(X4, AND)
    r = s.step()
    assert (r.index, r.target, r.predicted) == (0, 0, 1)
    assert np.array_equal(r.w_old, [0, 0]) and r.b_old == 0 and r.b == -1 and s.updates == 1
    r = s.step()  # (0,1) and (1,0) are right now: skipped; (1,1) is wrong
    assert r.index == 3 and r.visited == 3 and np.array_equal(r.w, [1, 1]) and r.b == 0
    assert "target 1 but the neuron said 0" in r.text() and "w +=" in r.text()


def test_converged_step_changes_nothing_and_reset_starts_again():
    X4, _ = data.xor_data()
    s = PerceptronStepper(X4, AND)
    s.run()
    w, b, n = s.w.copy(), s.b, s.updates
    r = s.step()
    assert r.converged and np.array_equal(s.w, w) and s.b == b and s.updates == n
    assert "no update" in r.text()
    s.reset()
    assert s.updates == 0 and s.b == 0 and not s.w.any() and s.last is None


def test_xor_never_converges():
    X4, _ = data.xor_data()
    s = PerceptronStepper(X4, [0, 1, 1, 0])
    assert s.run(max_updates=200) == 200 and not s.last.converged and s.mistakes() >= 1


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        PerceptronStepper(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError):
        PerceptronStepper(np.zeros((2, 2)), [0, 2])


def test_widget_buttons_step_and_reset_without_redrawing_the_whole_figure(monkeypatch):
    """A step redraws only the changing artists over the cached background (blitting): the
    full ``canvas.draw()`` ran once, for the first picture.  How fast a step is, in a real
    kernel, is measured by benchmarks/bench_widgets.py, not asserted here."""
    X4, _ = data.xor_data()
    box = perceptron_stepper(X4, AND)
    assert "nnlib-perceptron-stepper" in box._dom_classes
    assert "Press Step" in box.status.value and "3 of 4" in box.status.value
    first_png = box.output.value
    fig_canvas = box.view.fig.canvas
    full_draws = []
    monkeypatch.setattr(fig_canvas, "draw", lambda *a, **k: full_draws.append(1))
    box.step_button.click()
    assert full_draws == [], "a step redrew the whole figure instead of its changing artists"
    assert "Update 1" in box.status.value and "(0, 0)" in box.status.value
    assert box.output.value != first_png and "after 1 updates" in box.output.tooltip
    box.reset_button.click()
    assert box.stepper.updates == 0 and "Press Step" in box.status.value


# ------------------------------------------------------------- lesson 01, the cell after the widget


def _lesson_cells():
    nb = jupytext.read(ROOT / "lessons" / "01_neuron.py")
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_check_cell_after_the_decision_line_widget_holds_for_any_slider_state():
    import matplotlib.pyplot as plt

    cells = _lesson_cells()
    widget = next(i for i, c in enumerate(cells) if "neuron_widget(X, y" in c)
    check_cell = cells[widget + 1]
    assert "neuron.sliders" in check_cell
    ns = {}
    for source in cells[: widget + 1]:
        exec(compile(source, "<lesson 01>", "exec"), ns)
        plt.close("all")
    neuron = ns["neuron"]
    rng = np.random.default_rng(0)
    states = [dict(w1=0.0, w2=0.0, b=0.0), dict(w1=1.0, w2=1.0, b=0.0), dict(w1=-3, w2=3, b=3)]
    states += [dict(zip(("w1", "w2", "b"), rng.uniform(-3, 3, 3).round(2))) for _ in range(20)]
    for state in states:
        for k, v in state.items():
            neuron.sliders[k].value = float(v)
        exec(compile(check_cell, "<lesson 01 check cell>", "exec"), ns)
        # the learner's sliders are where the learner left them
        assert {k: s.value for k, s in neuron.sliders.items()} == pytest.approx(state)
