"""Helpers shared by the test files (``from helpers import run, mutant``; pytest's pythonpath
puts ``tests/`` on ``sys.path``)."""

from pathlib import Path

from nnlib.exercises import get_exercise
from nnlib.exercises.solutions import _entry


def run(exercise_id, answer):
    """The checker of ``exercise_id`` on ``answer``, called directly: a ``CheckResult``, never an
    ``AssertionError`` (``NNLIB_STRICT_CHECKS`` applies to ``check()`` only)."""
    return get_exercise(exercise_id).check(answer)


def mutant(exercise_id, *edits, name=None):
    """A learner's wrong answer made from the lesson's own solution of ``exercise_id``: each edit
    ``(old, new)`` replaces text that must be in the solution (so the mistake tests follow the
    lesson when it changes).  Returns the function the edited block defines."""
    entry = _entry(exercise_id)
    code = entry["code"]
    for old, new in edits:
        assert old in code, f"{old!r} is not in the solution of {exercise_id}:\n{code}"
        code = code.replace(old, new)
    namespace = {}
    exec("\n".join(entry["setup"]) + "\n" + code, namespace)
    return namespace[name or entry["name"]]


# ------------------------------------------------- widget figures (tests/show, tests/widgets)


def sliders_in(widget):
    """Every slider inside a widget tree."""
    import ipywidgets as widgets

    if isinstance(widget, (widgets.FloatSlider, widgets.IntSlider)):
        yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from sliders_in(child)


def widget_figure_problems(monkeypatch, build):
    """The figures (nnlib.widgets.base.FigureImage) that ``build()`` draws, checked at the start
    and with every slider at its minimum and at its maximum; returns the problems."""
    from nnlib import widgets
    from nnlib.show import figures

    made = []
    original = widgets.FigureImage.__init__

    def record(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(widgets.FigureImage, "__init__", record)
    box = build()
    sliders = list(sliders_in(box))
    states = [None] + [(s, s.min) for s in sliders] + [(s, s.max) for s in sliders]
    problems = []
    assert made, f"{build} drew no figure"
    for state in states:
        if state is not None:
            state[0].value = state[1]
        for view in made:
            found = (
                figures.missing_labels(view.fig)
                + figures.colour_only_classes(view.fig)
                + figures.text_problems(view.fig)
            )
            where = "start" if state is None else f"{state[0].description}={state[1]}"
            problems += [f"{where}: {p}" for p in found]
    return problems


def call_site_key(module: str, words: str) -> str:
    """The class-view mistake key (``lesson02:38``) of the ``not_yet(`` call in
    nnlib/exercises/<module>.py whose message contains ``words``: found in the source, so an edit
    above it moves both."""
    source = Path(__file__).resolve().parents[1] / "nnlib" / "exercises" / f"{module}.py"
    lines = source.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if words in line)
    call = next(i for i in range(at, -1, -1) if "not_yet(" in lines[i])
    return f"{module}:{call + 1}"
