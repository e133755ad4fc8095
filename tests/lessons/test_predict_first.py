"""Predict first, then read (lessons/AUTHORING.md, item 4): when a lesson asks the learner to
predict something, the written answer that follows is folded in
``<details><summary>Open after you have made your prediction…</summary> … </details>``, so it is
not on screen before the learner has guessed.  The code cell that computes the answer stays open.

How a prompt is found: a markdown cell with "Predict first" or "write your guess(es) down" (the
words the lessons use).  Its answer is the markdown that follows it, up to the next prompt or the
next section (``## k.``), whichever comes first: that stretch must hold a complete ``<details>``
block, and every answer heading in it ("**Answer…", "**The answer…", "### Answers") must open one.
"""

import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p for p in (ROOT / "lessons").glob("[0-9][0-9]_*.py"))  # every lesson

PROMPT = re.compile(r"predict first|write your guess(es)? down", re.IGNORECASE)
SECTION = re.compile(r"^## ", re.MULTILINE)
FOLD = "<details><summary>Open after you have made your prediction"
ANSWER_HEADING = re.compile(r"\*\*(the )?answers?\b[^*]*\*\*|^#+ answers?\b", re.IGNORECASE | re.M)


def prompts(path):
    """[(prompt cell, the markdown that answers it)] of one lesson source."""
    cells = jupytext.read(path).cells
    markdown = [c.source for c in cells if c.cell_type == "markdown"]
    found = []
    for i, text in enumerate(markdown):
        if i == 0 or not PROMPT.search(text):  # the title cell only says what the marks mean
            continue
        stretch = "\n\n".join(markdown[i + 1 :])
        ends = [m.start() for m in (PROMPT.search(stretch), SECTION.search(stretch)) if m]
        found.append((text, stretch[: min(ends)] if ends else stretch))
    return found


def is_folded(answer):
    """The answer holds a complete fold, and each answer heading in it opens one right away
    (at most a remark in parentheses between them)."""
    start = answer.find(FOLD)
    if start < 0 or answer.find("</details>", start) < 0:
        return False
    for heading in ANSWER_HEADING.finditer(answer):
        between, fold, _ = answer[heading.end() :].partition(FOLD)
        if not fold or re.sub(r"^\s*\([^)]*\)", "", between).strip(" :.\n"):
            return False
    return True


def test_the_lessons_ask_for_predictions():
    per_lesson = {p.stem: len(prompts(p)) for p in LESSONS}
    assert len(per_lesson) >= 13
    asking = [
        "00_welcome",
        "01_neuron",
        "02_activations",
        "03_forward_pass",
        "04_loss_gradient_descent",
        "05_backpropagation",
        "06_training",
        "12_attention",
    ]
    assert all(per_lesson[stem] >= 1 for stem in asking), per_lesson
    assert sum(per_lesson.values()) >= 15, per_lesson


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_predict_first_answer_is_folded(path):
    unfolded = [
        prompt.strip().splitlines()[0][:90]
        for prompt, answer in prompts(path)
        if not is_folded(answer)
    ]
    assert not unfolded, (
        f"{path.name}: the answer to these prompts is on screen at once - fold it in "
        f"'{FOLD}…</summary> … </details>' (AUTHORING.md item 4): {unfolded}"
    )


def test_unfolding_an_answer_fails(tmp_path):
    """The check is real: lesson 05 with its first answer unfolded is caught."""
    source = (ROOT / "lessons" / "05_backpropagation.py").read_text(encoding="utf-8")
    start = source.index(FOLD)
    end = source.index("</summary>", start) + len("</summary>")
    close = source.index("</details>", end)
    unfolded = source[:start] + source[end:close] + source[close + len("</details>") :]
    path = tmp_path / "05_backpropagation.py"
    path.write_text(unfolded, encoding="utf-8")
    assert all(is_folded(a) for _, a in prompts(ROOT / "lessons" / path.name))
    assert not all(is_folded(a) for _, a in prompts(path))


@pytest.mark.parametrize(
    "answer, folded",
    [
        ("**Answer.** Smaller, by far.", False),
        (f"**Answer.**\n\n{FOLD}.</summary>\n\nSmaller.\n\n</details>", True),
        (f"**Answer.** Smaller, by far.\n\n{FOLD}.</summary>\n\nmore\n\n</details>", False),
        (f"**The answer** (asserted below):\n\n{FOLD}.</summary>\n\nSmaller.\n\n</details>", True),
        (f"{FOLD}.</summary>\n\nSmaller, and never closed.", False),
        ("The dead unit's largest pre-activation is -0.5: it outputs 0 for every input.", False),
    ],
)
def test_is_folded(answer, folded):
    assert is_folded(answer) == folded
