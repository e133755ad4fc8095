"""A tiny lesson-shaped notebook for the tests of the build tools (student copies, slides,
site, browser).  It has what a real lesson has - title, maths, a figure, a "Try it" widget that
redraws a plot and a label, solution markers, a check - and runs in about a second.

    python tests/sample_lesson.py OUT.ipynb
"""

from __future__ import annotations

import sys

import nbformat

CELLS = [
    (
        "markdown",
        "slide",
        "# Lesson 99 — A sample lesson\n\n"
        "**Learning goals:** see a neuron $y = \\sigma(w x + b)$ move.\n\n"
        "Estimated time: 1 minute.",
    ),
    (
        "code",
        "skip",
        "import ipywidgets as widgets\n"
        "import matplotlib.pyplot as plt\n"
        "import numpy as np\n"
        "from IPython.display import display\n\n"
        "import nnlib\n"
        "from nnlib import check, hint, pick, solution\n\n"
        "nnlib.start_lesson(seed=0)",
    ),
    ("markdown", "slide", "## A figure\n\n$$\\sigma(z) = \\frac{1}{1 + e^{-z}}$$"),
    (
        "code",
        "-",
        "z = np.linspace(-6, 6, pick(full=200, quick=50))\n"
        "fig, ax = plt.subplots(figsize=(4, 2.5))\n"
        "ax.plot(z, 1 / (1 + np.exp(-z)))\n"
        'ax.set(title="Sigmoid", xlabel="z", ylabel="σ(z)")\n'
        "plt.show()",
    ),
    ("markdown", "subslide", "### Try it\n\nMove the slider: the accuracy and the plot change."),
    (
        "code",
        "-",
        "x = np.linspace(-1, 1, 21)\n"
        "y = (x > 0.2).astype(int)\n\n\n"
        "def accuracy(w):\n"
        "    return float(np.mean(((w * x) > 0.2) == y))\n\n\n"
        "slider = widgets.FloatSlider(value=0.0, min=-2, max=2, step=0.5, description='w')\n"
        "label = widgets.HTML()\n"
        "label.add_class('nnlib-accuracy')\n"
        "out = widgets.Output()\n\n\n"
        "def redraw(change=None):\n"
        "    w = slider.value\n"
        "    label.value = f'w = {w:.1f}: accuracy {accuracy(w):.0%}'\n"
        "    with out:\n"
        "        out.clear_output(wait=True)\n"
        "        fig, ax = plt.subplots(figsize=(3, 2))\n"
        "        ax.plot(x, w * x)\n"
        "        ax.set(title=f'w = {w:.1f}', xlabel='x', ylabel='w x')\n"
        "        plt.show()\n\n\n"
        "slider.observe(redraw, names='value')\n"
        "box = widgets.VBox([slider, label, out])\n"
        "box.add_class('nnlib-neuron-widget')\n"
        "redraw()\n"
        "display(box)\n"
        "assert accuracy(1.0) != accuracy(-1.0)",
    ),
    ("markdown", "slide", "## Exercise\n\nWrite the weighted sum $w \\cdot x + b$."),
    (
        "code",
        "-",
        "def weighted_sum(x, w, b):\n"
        "    # BEGIN SOLUTION\n"
        "    return np.dot(x, w) + b\n"
        "    # END SOLUTION",
    ),
    ("code", "-", 'check("00.weighted_sum", weighted_sum)'),
    (
        "code",
        "-",
        "answer = None\n# BEGIN SOLUTION\nanswer = 3\n# END SOLUTION\nprint('answer:', answer)",
    ),
    ("code", "-", '# hint("00.weighted_sum")  # solution("00.weighted_sum")'),
    ("markdown", "slide", "## Summary\n\nA neuron is a weighted sum and a squashing function."),
]


def sample_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        },
        "language_info": {"name": "python", "pygments_lexer": "ipython3"},
    }
    for i, (kind, slide, src) in enumerate(CELLS):
        meta = {"slideshow": {"slide_type": slide}}
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(src, metadata=meta)
        cell.id = f"cell-{i:03d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def write(path):
    nbformat.write(sample_notebook(), str(path))
    return path


if __name__ == "__main__":
    print(write(sys.argv[1]))
