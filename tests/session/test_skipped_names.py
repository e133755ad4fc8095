"""nnlib.session.skipped: a NameError for a name a skipped cell defines names that cell's section.

The map comes from the lessons (tools/lessons.py build -> nnlib/exercises/lesson_names.json); the handler
is tested in IPython's InteractiveShell and in a real kernel running lesson 01's setup cell."""

import json
import sys
from pathlib import Path

import jupytext
import pytest

from nnlib.session import skipped

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import lessons  # noqa: E402


def test_the_map_is_built_from_the_lessons_and_up_to_date():
    names = json.loads(skipped.NAMES_FILE.read_text(encoding="utf-8"))
    assert skipped.NAMES_FILE.read_text(encoding="utf-8") == lessons.names_text()
    n01 = names["01_neuron"]
    assert n01["X"] == "2. A neuron is a linear classifier"  # X, y = data.make_blobs(...)
    assert n01["neuron"] == "3. Try it: move the decision line"
    assert n01["perceptron_train"] == "4. Learning the weights: the perceptron rule"  # a def
    assert n01["np"] == "" and n01["neuron_widget"] == ""  # the setup cell's imports
    assert "_" not in n01
    assert set(names) == {s.stem for s in lessons.sources()}


def test_first_binding_wins_and_magics_are_skipped(tmp_path):
    src = tmp_path / "99_demo.py"
    src.write_text(
        "# %%\nimport numpy as np\n\n"
        "# %% [markdown]\n# ## 1. First\n\n"
        "# %%\n%matplotlib inline\nx = 1\nfor i in range(2):\n    pass\n\n"
        "# %% [markdown]\n# ## Second, unnumbered\n#\n# ### a subsection\n\n"
        "# %%\nx = 2\ndef f():\n    local = 3\n",
        encoding="utf-8",
    )
    assert lessons.defined_names(src) == {"np": "", "x": "1. First", "i": "1. First",
                                          "f": "Second, unnumbered"}  # fmt: skip


def test_message_words():
    names = {"01_neuron": {"X": "2. A neuron is a linear classifier", "np": ""},
             "00_welcome": {"slider": "Widgets: \"Try it\""}}  # fmt: skip
    ns = {"__session__": "/home/me/work/01_neuron.ipynb"}
    line = skipped.message("X", ns, names)
    assert line == (
        "`X` is defined in section 2 ('A neuron is a linear classifier') - run that cell first "
        "(or Run > Run All Above Selected Cell)."
    )
    assert "first code cell" in skipped.message("np", ns, names)
    assert skipped.message("typo_name", ns, names) is None
    assert skipped.message("X", {**ns, "X": 1}, names) is None  # it exists: not our case
    # no session: a name only one lesson defines is enough
    assert "the section 'Widgets: \"Try it\"'" in skipped.message("slider", {}, names)


def test_the_lesson_is_guessed_from_the_names_the_kernel_holds():
    names = {"01_neuron": {"X": "2. A", "neuron_widget": "", "np": ""},
             "02_activations": {"X": "1. B", "activation_explorer": "", "np": ""}}  # fmt: skip
    assert skipped.guess_lesson({"np": 1, "activation_explorer": 1}, names) == "02_activations"
    assert "section 1" in skipped.message("X", {"np": 1, "activation_explorer": 1}, names)
    assert skipped.guess_lesson({"np": 1}, names) is None  # a tie: no guess
    assert skipped.message("X", {"np": 1}, names) is None  # two lessons define X: say nothing
    assert skipped.guess_lesson({"__session__": "/w/02_activations.updated-2026.ipynb"}, names) == (
        "02_activations"
    )


def test_install_outside_ipython_does_nothing():
    from IPython import get_ipython

    assert get_ipython() is None, "an earlier test left an IPython shell: use the ipython fixture"
    assert skipped.install() is False  # pytest runs no IPython shell


@pytest.fixture
def shell(ipython):
    return ipython


def test_in_an_ipython_shell_the_error_gets_the_line_on_top(shell, capsys):
    assert skipped.install(shell) is True
    cells = [c.source for c in jupytext.read(ROOT / "lessons" / "01_neuron.py").cells
             if c.cell_type == "code"]  # fmt: skip
    setup = cells[0].replace("nnlib.start_lesson(seed=0)", "")  # seeds and styles: not needed
    assert shell.run_cell(setup).success
    capsys.readouterr()
    result = shell.run_cell("print(X.shape)  # section 2 was skipped")
    assert not result.success and isinstance(result.error_in_exec, NameError)
    out = capsys.readouterr().out
    assert "`X` is defined in section 2 ('A neuron is a linear classifier')" in out
    assert "NameError" in out and "name 'X' is not defined" in out  # the usual error, too
    assert out.index("section 2") < out.index("NameError")
    # a typo gets the plain error only
    shell.run_cell("print(not_a_lesson_name)")
    out = capsys.readouterr().out
    assert "NameError" in out and "is defined in" not in out


def test_in_a_real_kernel_start_lesson_installs_it(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    setup = next(c.source for c in jupytext.read(ROOT / "lessons" / "02_activations.py").cells
                 if c.cell_type == "code")  # fmt: skip
    nb.cells = [nbformat.v4.new_code_cell(setup), nbformat.v4.new_code_cell("x_curve.shape")]
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})  # fmt: skip
    client.execute()
    errors = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "NameError"
    first = errors[0].traceback[0]
    assert first.startswith("`x_curve` is defined in section 1 ('Why a non-linear activation?')")


def test_a_widget_callback_shows_the_line_not_a_traceback(shell, capsys):
    """ipywidgets' interactive reports a callback's error with shell.showtraceback()."""
    assert skipped.install(shell) is True and skipped.install(shell) is True  # idempotent
    shell.user_ns["__session__"] = str(ROOT / "work" / "01_neuron.ipynb")
    capsys.readouterr()

    def callback():  # a widget function that reads data from a skipped cell
        return X.shape  # noqa: F821

    try:
        callback()
    except NameError:
        shell.showtraceback()
    out = capsys.readouterr().out
    assert "`X` is defined in section 2" in out and "name 'X' is not defined" in out
    assert "Traceback" not in out and "callback" not in out
    try:
        callback_typo = not_a_lesson_name  # noqa: F821, F841
    except NameError:
        shell.showtraceback()  # any other error: the usual traceback
    assert "Traceback" in capsys.readouterr().out
