# %% [markdown] slideshow={"slide_type": "slide"}
# # Neural Networks, hands-on — Welcome
#
# A course that takes you from **one artificial neuron** to **convolutional and recurrent
# networks**: first from scratch in NumPy, so you understand every line, then in Keras on
# TensorFlow, so you can build real models on real data.
#
# **Who it is for:** programmers who know some Python and NumPy-style arrays, and a little
# school maths (sums, derivatives, matrices are explained when they appear). No prior machine
# learning needed.
#
# ## Learning goals of this lesson
# - know what the course covers, in what order, and how long each lesson takes;
# - run cells, use the interactive widgets and check your own exercises;
# - check that your environment works, and whether data comes online or from the offline fallback.
#
# *Time: about 15 minutes.*

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The map of the course
#
# | # | Lesson | After it you can … | Time |
# |---|--------|--------------------|------|
# | 00 | Welcome | run the course, use widgets and exercise checks | 15 min |
# | 01 | The neuron | compute a neuron's output, train a perceptron update by update, explain why one neuron cannot learn XOR | 45–55 min |
# | 02 | Activation functions | see how ReLUs bend a line, choose an activation, spot vanishing gradients and dead ReLUs, compute a stable softmax | 50–60 min |
# | 03 | The forward pass | write a layer as a matrix product, track shapes through a batch, solve XOR by hand | 55–70 min |
# | 04 | Loss and gradient descent | pick a loss, run gradient descent, tune the learning rate, compare SGD, momentum and Adam | 75–90 min |
# | 05 | Backpropagation | derive and code the backward pass, check gradients numerically and against TensorFlow | 90–105 min |
# | 06 | Training a network | write the training loop, train on moons and spirals, experiment in the playground | 90–110 min |
# | 07 | Keras | rebuild your network in Keras, train an MNIST classifier, save and reload it | 70–85 min |
# | 08 | Evaluation and tuning | split data honestly, read a confusion matrix, tune hyperparameters, fight overfitting | 85–100 min |
# | 09 | Convolutional networks | convolve images by hand, build a CNN for digits, look inside it | 85–100 min |
# | 10 | Recurrent networks | unroll an RNN by hand, forecast a real series against a baseline, classify text | 85–100 min |
# | 11 | Applications and next steps | reuse a trained network (transfer learning), build a recommender, meet attention | 75–90 min |
# | 12 | Attention and a small transformer | write attention and a transformer block in NumPy, read attention heatmaps, train a character-level language model on real text | 75–90 min |
# | 13 | Generative models: networks that make digits | compress digits to a 2-number code, sample new ones from a VAE, turn noise into digits with a small diffusion model, and measure how convincing they are | 75–90 min |
#
# Lessons 01–06 build everything in NumPy with the course's helper package `nnlib` (about 7–8½ hours
# with the exercises; lesson 05 also lets TensorFlow's `GradientTape` check the gradients); from
# lesson 07 on we use Keras. Every lesson ends with exercises and a summary. The
# times are each lesson's own estimate, exercises included; take breaks between lessons.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import ipywidgets as widgets
from IPython.display import display

import nnlib
from nnlib import check, hint, pick, solution

nnlib.start_lesson(seed=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Using JupyterLab
#
# - **Run a cell:** click it and press <kbd>Shift</kbd>+<kbd>Enter</kbd>. Run cells from top to bottom;
#   later cells use what earlier ones defined.
# - **Run everything:** menu *Run → Run All Cells*. **Start fresh:** *Kernel → Restart Kernel and
#   Run All Cells* (do this when something behaves strangely).
# - **Change and rerun:** every cell is yours to edit. These lessons are your own copies, in the
#   folder `work/` (your answers start empty: `...  # YOUR CODE HERE`). Course updates never
#   replace them: a changed lesson arrives beside yours as `NN_name.updated-DATE.ipynb`.
# - **Moving on? Shut down the lesson's kernel.** Each open lesson keeps its own kernel, and one
#   that uses Keras holds ~650 MB; three of those fill a Binder session (1–2 GB), which then stops
#   with your unsaved work. When you leave a lesson: *Kernel → Shut Down Kernel* in its tab, or the
#   *Running Terminals and Kernels* panel (the ■ icon on the left) → *Shut Down*. Your notebook and
#   its saved outputs stay; only the variables go (*Run → Run All Cells* brings them back).
#   `start_lesson()` prints one line naming the kernels to shut down when memory is short, and
#   the server shuts down a kernel idle for 30 minutes (15 on Binder).
# - **Slides:** an instructor can present any lesson live as slides, widgets working (the deck
#   button *Toggle Deck* in the notebook toolbar).
#
# The cell above (hidden in slides) is the start of every lesson: it imports NumPy, Matplotlib and
# `nnlib`, and `nnlib.start_lesson()` seeds every random number generator, so **you get the same
# numbers every time you run a lesson**.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Quick mode and offline mode
#
# Two switches, set as environment variables before you start JupyterLab:
#
# - `NNLIB_QUICK=1` — **quick mode**: smaller data and fewer epochs, so a lesson runs in seconds.
#   The automated tests use it; a lesson in quick mode prints a banner saying so. Without it,
#   lessons run at real size.
# - `NNLIB_OFFLINE=1` — **offline mode**: never try to download; use the data bundled with the
#   installed packages. Without it, real data sets (MNIST, IMDB) are downloaded once into the Keras
#   cache; if that fails, the lesson prints one line saying it uses the offline fallback.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check your environment
#
# This cell reports your Python and package versions, the two switches, and where MNIST will come
# from (the Keras cache, a download, or the offline fallback). It takes a few seconds online.

# %%
from nnlib.session.env import print_environment_report
from nnlib.widgets import release_note

report = print_environment_report(check_network=not nnlib.is_offline())
missing = [name for name, version in report["packages"].items() if version is None]
assert report["supported_python"], "Use Python 3.11 (see the README)"
assert not missing, f"Missing packages: {missing}. Run: pip install -r requirements.txt"
print("\nEverything the course needs is installed.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Widgets: "Try it"
#
# Each lesson has widgets: sliders and buttons that change a plot while you watch. Here is a first
# one. A neuron computes a **weighted sum** of its inputs plus a bias:
#
# $$ z = w_1 x_1 + w_2 x_2 + b $$
#
# The input is fixed at $x = (1, 2)$. **Predict first**, then move the sliders to test it:
#
# 1. At the start ($w_1 = 0.5$, $w_2 = -1$, $b = 0$), is $z$ positive or negative?
# 2. You move `w1` by $+1$, and then `w2` by $+1$. Which move changes $z$ more, and by how much?
# 3. Which slider moves $z$ by the same amount whatever $x$ is?

# %%
from nnlib.show.plotting import OKABE_ITO

x_example = np.array([1.0, 2.0])


def show_weighted_sum(w1=0.5, w2=-1.0, b=0.0):
    """Draw the contributions w_i * x_i and b, and their sum z."""
    parts = np.array([w1 * x_example[0], w2 * x_example[1], b])
    z = parts.sum()
    fig, ax = plt.subplots(figsize=(6, 3))
    colors = [OKABE_ITO[i] for i in (0, 1, 2)]
    ax.barh(["$w_1 x_1$", "$w_2 x_2$", "$b$"], parts, color=colors)
    ax.axvline(z, color="black", linestyle="--", label=f"z = {z:.2f}")
    ax.set(
        title=f"Weighted sum for x = {x_example.tolist()}", xlabel="contribution to z", xlim=(-7, 7)
    )
    ax.legend(loc="lower right")
    plt.show()
    return z


slider = dict(min=-3.0, max=3.0, step=0.1, continuous_update=False)  # a redraw takes ~0.15 s
weighted_sum_widget = widgets.interactive(
    show_weighted_sum,
    w1=widgets.FloatSlider(value=0.5, description="w1", **slider),
    w2=widgets.FloatSlider(value=-1.0, description="w2", **slider),
    b=widgets.FloatSlider(value=0.0, description="b", **slider),
)
release_note(weighted_sum_widget)
display(weighted_sum_widget)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The widget calls an ordinary Python function, so we can also call it directly — the next cell
# checks your predictions:

# %% slideshow={"slide_type": "skip"}
z_start = show_weighted_sum(0.5, -1.0, 0.0)
z_w1 = show_weighted_sum(1.5, -1.0, 0.0)  # w1 one up
z_w2 = show_weighted_sum(0.5, 0.0, 0.0)  # w2 one up
z_b = show_weighted_sum(0.5, -1.0, 1.0)  # b one up
plt.close("all")
print(f"start z = {z_start:g}; w1 + 1 changes z by {z_w1 - z_start:g}, w2 + 1 by {z_w2 - z_start:g},"
      f" b + 1 by {z_b - z_start:g}")  # fmt: skip
assert z_start == 0.5 * 1 - 1.0 * 2 == -1.5
assert (z_w1 - z_start, z_w2 - z_start, z_b - z_start) == (x_example[0], x_example[1], 1.0)

# %% [markdown] slideshow={"slide_type": "fragment"}
# **Answers**
#
# <details><summary>Open after you have made your predictions and tried them.</summary>
#
# (1) Negative: $z = 0.5 \cdot 1 - 1 \cdot 2 = -1.5$. (2) Moving $w_2$: a weight
# changes $z$ by (its change) × (its input), and $x_2 = 2$ is twice $x_1 = 1$. (3) The bias $b$: it is
# added as it is, whatever the inputs — that is why it *shifts* a neuron rather than scaling an input.
#
# </details>
#
# Every lesson folds its answers like this: predict, try, then open them.


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises: check, hint, solution
#
# Every lesson ends with exercises that you can check yourself:
#
# 1. Write your answer in the cell where you see `...  # YOUR CODE HERE` (in the full course
#    repository, the model solution is already there, between `# BEGIN SOLUTION` and
#    `# END SOLUTION` — try it yourself first!).
# 2. Run `check("NN.name", your_answer)`: ✅ when it is right, or a message that says **what** is
#    off (a wrong shape, which input gives which wrong value, a missing `return`).
# 3. Stuck? `hint("NN.name")` gives a nudge; `solution("NN.name")` shows a model solution.

# %% slideshow={"slide_type": "skip"}
# On a class hub that shows your instructor how the class is doing, this prints one line saying
# what they see and how to switch it off for yourself. Anywhere else it prints nothing.
import nnlib.classroom.events

nnlib.classroom.events.notice()

# %% [markdown]
# ### Exercise 00.1 — a weighted sum
# Write `weighted_sum(x, w, b)` that returns $\sum_i w_i x_i + b$ for 1-D arrays `x` and `w` and a
# number `b`.


# %%
def weighted_sum(x, w, b):
    # BEGIN SOLUTION
    return np.dot(x, w) + b
    # END SOLUTION


# %%
check("00.weighted_sum", weighted_sum)


# %%
# hint("00.weighted_sum")
# solution("00.weighted_sum")

# %% [markdown] slideshow={"slide_type": "fragment"}
# A wrong answer never crashes the check — it explains what is wrong. For example, forgetting the
# bias:


# %%
def forgot_the_bias(x, w, b):
    return np.dot(x, w)


# The automated tests treat a failed `check` as an error, so this deliberately wrong answer is
# given to the exercise's checker directly; `check(...)` shows you the same message.
result = nnlib.exercises.get_exercise("00.weighted_sum").check(forgot_the_bias)
assert not result.passed and "expected" in result.message
result

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 00.2 — predict z of one neuron (don't compute it)
#
# Some exercises ask for a **result**, not for code. A neuron has the weights $w_1 = 2$,
# $w_2 = -0.5$, the bias $b = -3$, and gets the input $x = (1, 2)$. Work out $z$ in your head or on
# paper — no code — and write the number in place of `...`. The check says what is off, never the
# answer.

# %%
z_prediction = ...
# BEGIN SOLUTION
z_prediction = -2.0
# END SOLUTION

# %%
check("00.predict_z", z_prediction)

# %%
# hint("00.predict_z")  # solution("00.predict_z")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - The course goes from one neuron (lesson 01) to CNNs and RNNs (lessons 09–10), applications
#   (lesson 11) and attention with a small transformer (lesson 12): NumPy first, then Keras.
# - Run cells top to bottom with <kbd>Shift</kbd>+<kbd>Enter</kbd>; *Restart Kernel and Run All*
#   when in doubt. Every lesson is seeded, so numbers repeat.
# - `NNLIB_QUICK=1` makes lessons small and fast; `NNLIB_OFFLINE=1` uses only bundled data.
# - Widgets let you try ideas; `check`, `hint` and `solution` let you test yourself.
#
# **Next:** [Lesson 01 — The neuron](01_neuron.ipynb).
