# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson __NN__ — __TITLE__
#
# **Learning goals** — after this lesson you can
#
# 1. fit a straight line by hand and say how far off it is with one number, the mean squared error;
# 2. predict, before running any code, which way a change of the slope moves that number;
# 3. (replace these goals with the lesson's own: two to four, each something a learner can *do*).
#
# **Estimated time:** 30–40 minutes.
#
# **Quick mode:** fewer points in section 1 (`pick(full=…, quick=…)`); everything else is the
# same. Every number the text claims is printed from the run or checked by an `assert`.
#
# <!-- Scaffolded by `make new-lesson` from lessons/_template.py. Read lessons/AUTHORING.md,
# replace the example sections with the lesson, keep the anatomy. -->

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

nnlib.start_lesson(seed=0)

import ipywidgets as widgets
from IPython.display import display

from nnlib.show.figures import describe
from nnlib.show.plotting import OKABE_ITO
from nnlib.widgets import FigureImage, release_note

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. A line through noisy points
#
# A model with one input $x$ and one weight $w$ predicts $\hat y = w x$. How far off it is, over $n$
# points, is the **mean squared error**:
#
# $$\text{MSE}(w) = \frac{1}{n} \sum_{i=1}^{n} (w x_i - y_i)^2 .$$
#
# The points below follow $y = 2x$ plus noise.

# %%
rng = np.random.default_rng(0)
n_points = pick(full=200, quick=40)
x_line = rng.uniform(-1, 1, n_points)
y_line = 2.0 * x_line + rng.normal(0, 0.3, n_points)


def mse_of(w):
    """The mean squared error of the line y = w x on the lesson's points."""
    return float(np.mean((w * x_line - y_line) ** 2))


best_w = float(x_line @ y_line / (x_line @ x_line))  # least squares through the origin
print(f"{n_points} points; best slope {best_w:.3f}, its MSE {mse_of(best_w):.3f}")
assert abs(best_w - 2.0) < 0.2  # the slope the points were made with, on both data paths
assert mse_of(best_w) <= min(mse_of(w) for w in np.linspace(-1, 5, 61))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Predict first:** is the error of the slope $w = 0$ (a flat line) larger or smaller than that of
# $w = 4$ (twice too steep)? Write your guess down, then run the next cell.

# %% [markdown]
# <details><summary>Open after you have made your prediction and run the cell.</summary>
#
# About the same: at every point the flat line is off by $2x$ below, the steep one by $2x$ above
# (plus the noise), so their errors are close. The cell prints both: prediction first, then the
# measurement.
#
# </details>

# %%
print(f"MSE at w = 0: {mse_of(0.0):.3f};  at w = 4: {mse_of(4.0):.3f}")
assert mse_of(0.0) > mse_of(best_w) and mse_of(4.0) > mse_of(best_w)
assert abs(mse_of(0.0) - mse_of(4.0)) < 0.5 * mse_of(0.0)  # close, as the answer says

# %%
ws = np.linspace(-1, 5, 61)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(ws, [mse_of(w) for w in ws], color=OKABE_ITO[1], marker="o", markevery=6, label="MSE")
ax.plot([best_w], [mse_of(best_w)], "s", color=OKABE_ITO[2], label=f"best w = {best_w:.2f}")
ax.set(title="The error of y = w x for each slope w", xlabel="slope w", ylabel="mean squared error")
ax.legend()
describe(fig, f"A U-shaped curve whose lowest point is at w = {best_w:.2f}.")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Try it: turn the line
#
# Move the slider: the line turns, and the title gives its error. Where is the error smallest?


# %%
def line_points(w):
    """The widget's line: x from -1 to 1 and the predictions w x (a plain function, tested)."""
    xs = np.array([-1.0, 1.0])
    return xs, w * xs


line_view = FigureImage((6, 3.5))
line_view.fig.subplots_adjust(left=0.12, right=0.97, top=0.88, bottom=0.16)
line_ax = line_view.fig.add_subplot()
line_ax.plot(x_line, y_line, "o", color=OKABE_ITO[0], markersize=4, label="points")
(fitted_line,) = line_ax.plot(*line_points(0.0), "-", color=OKABE_ITO[1], lw=2, label="y = w x")
line_ax.set(xlabel="x", ylabel="y", xlim=(-1.1, 1.1), ylim=(-4, 4))
line_ax.set_title(" ")
line_ax.legend(loc="upper left")
line_view.animate(fitted_line, line_ax.title)


def update_line(w=0.0):
    fitted_line.set_data(*line_points(w))
    line_ax.title.set_text(f"slope w = {w:.2f}: mean squared error {mse_of(w):.3f}")
    line_view.refresh(alt=line_ax.title.get_text())


try_it = widgets.interactive(
    update_line, w=widgets.FloatSlider(0.0, min=-1, max=5, step=0.1, continuous_update=False)
)
display(widgets.VBox([release_note(try_it), line_view.image]))

# %% slideshow={"slide_type": "skip"}
assert np.allclose(line_points(2.0)[1], [-2.0, 2.0])  # what the widget draws, checked

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Exercises
#
# Write your answer where the model solution sits, then run the check. Stuck? `hint(...)` gives one
# step more each time; `solution(...)` shows the model solution (uncomment to use).
#
# ### Exercise 1 — the mean squared error
#
# Write `mean_squared_error(y_true, y_pred)`: the mean of the squared differences of two arrays of
# the same shape.


# %%
def mean_squared_error(y_true, y_pred):
    # BEGIN SOLUTION
    return np.mean((np.asarray(y_pred) - np.asarray(y_true)) ** 2)
    # END SOLUTION


# %%
check("__NN__.mean_squared_error", mean_squared_error)

# %%
# hint("__NN__.mean_squared_error")  # solution("__NN__.mean_squared_error")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — predict an error
#
# Without running code: the points $(0, 1)$ and $(2, 1)$ and the line $\hat y = x$. What is the mean
# squared error? Write the number.

# %%
mse_prediction = None
# BEGIN SOLUTION
mse_prediction = 1.0
# END SOLUTION

# %%
check("__NN__.predict_mse", mse_prediction)

# %%
# hint("__NN__.predict_mse")  # solution("__NN__.predict_mse")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * The **mean squared error** says in one number how far a model's predictions are off.
# * For a line through the origin it is a U-shaped function of the slope, lowest at the
#   least-squares slope.
# * (Replace with the lesson's own summary; the last bullet names the next lesson, if any.)
