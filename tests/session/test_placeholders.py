"""An untouched answer cell (``...  # YOUR CODE HERE``) shows nothing after start_lesson()."""

from nnlib.session import placeholders


def test_an_untouched_answer_cell_shows_no_ellipsis(ipython):
    before = ipython.run_cell("...  # YOUR CODE HERE")
    assert before.result is Ellipsis  # what a learner saw (so the test can fail)
    assert placeholders.install(ipython) and placeholders.install(ipython)
    assert sum(getattr(t, "nnlib", False) for t in ipython.ast_transformers) == 1  # once
    assert ipython.run_cell("answer = 41\n...  # YOUR CODE HERE").result is None
    assert ipython.user_ns["answer"] == 41
    assert ipython.run_cell("x = ...").success and ipython.user_ns["x"] is Ellipsis
    assert ipython.run_cell("def f():\n    ...").success and ipython.user_ns["f"]() is None
    assert ipython.run_cell("6 * 7").result == 42  # other last expressions still show
    assert ipython.run_cell("...\n1").result == 1  # only the last statement
    ipython.ast_transformers[:] = [
        t for t in ipython.ast_transformers if not getattr(t, "nnlib", False)
    ]


def test_outside_ipython_nothing_is_installed():
    assert placeholders.install() is False
