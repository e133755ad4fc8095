# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 01 — The neuron
#
# **Learning goals** — after this lesson you can
#
# 1. compute the output of one artificial neuron: a weighted sum, plus a bias, through an activation;
# 2. explain why a neuron with a step activation is a *linear classifier* whose decision boundary is a line;
# 3. train a neuron with the perceptron learning rule and watch it converge on AND and OR;
# 4. explain — with a picture and with four inequalities — why no single neuron can compute XOR.
#
# **Estimated time:** 45–55 minutes.
#
# **Quick mode:** only the grid search in section 5 has a quick setting (a coarser grid); every number
# the text claims holds in both modes.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

nnlib.start_lesson(seed=0)

from nnlib import data
from nnlib.byhand.perceptron import PerceptronStepper
from nnlib.show.plotting import OKABE_ITO
from nnlib.widgets import accuracy_text, neuron_accuracy, neuron_predict, neuron_widget, plot_neuron
from nnlib.widgets import perceptron_stepper

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. One neuron, three steps
#
# An artificial neuron takes inputs $x_1, \dots, x_n$ and
#
# 1. multiplies each input by a **weight** $w_i$ and adds them up,
# 2. adds a **bias** $b$ — together the *pre-activation* $z = w_1x_1 + \dots + w_nx_n + b = \mathbf{w}\cdot\mathbf{x} + b$,
# 3. passes $z$ through an **activation function** $f$: the output is $a = f(z)$.
#
# The oldest activation is the **step function** of Rosenblatt's perceptron (1958):
# $$\operatorname{step}(z) = \begin{cases}1 & z \ge 0\\ 0 & z < 0\end{cases}$$
#
# The weights say how much each input matters (and with which sign); the bias shifts the threshold.

# %% slideshow={"slide_type": "subslide"}
x = np.array([0.5, -1.0, 2.0])  # three inputs
w = np.array([0.8, 0.2, -0.5])  # one weight per input
b = 0.3

z = 0.0
for xi, wi in zip(x, w):  # step 1 by hand ...
    z += xi * wi
z += b  # ... step 2
print("z with a loop:   ", z)
print("z with np.dot:   ", np.dot(w, x) + b)
a = nnlib.nn.step(np.array(z))  # step 3: nnlib's step activation
print("output a = step(z) =", a)
assert np.isclose(z, np.dot(w, x) + b) and a == 0.0

# %% [markdown] slideshow={"slide_type": "fragment"}
# $z = 0.4 - 0.2 - 1.0 + 0.3 = -0.5 < 0$, so the neuron outputs 0. `np.dot` does the loop in one
# (fast) call — from now on we write it that way.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. A neuron is a linear classifier
#
# With two inputs $(x_1, x_2)$ the neuron says "class 1" exactly where
# $$w_1x_1 + w_2x_2 + b \ge 0 .$$
# The border, $w_1x_1 + w_2x_2 + b = 0$, is a **straight line** — the *decision line*. The weight
# vector $\mathbf{w} = (w_1, w_2)$ is perpendicular to it and points to the class-1 side; the bias
# moves the line without turning it (its distance from the origin is $|b|/\lVert\mathbf{w}\rVert$).
#
# Let's try it on two clouds of points (`nnlib.data.make_blobs`: 200 points, two Gaussian blobs).

# %% slideshow={"slide_type": "subslide"}
X, y = data.make_blobs(n_samples=200, seed=0)
print("X:", X.shape, "y:", y.shape, "classes:", np.bincount(y))

fig, axes = plt.subplots(1, 2, figsize=(11, 4.6))
plot_neuron(X, y, w1=1.0, w2=-1.0, b=0.0, ax=axes[0])  # a bad choice
plot_neuron(X, y, w1=1.0, w2=1.0, b=0.0, ax=axes[1])  # a good one
plt.show()

acc_bad = neuron_accuracy(X, y, 1.0, -1.0, 0.0)
acc_good = neuron_accuracy(X, y, 1.0, 1.0, 0.0)
print(f"w = (1, -1): accuracy {acc_bad:.1%}   w = (1, 1): accuracy {acc_good:.1%}")
assert acc_bad < 0.7 and acc_good > 0.95

# %% [markdown] slideshow={"slide_type": "fragment"}
# Same data, two neurons. Turning the weight vector towards the line joining the two blob centres
# (from $(1,-1)$ to $(1,1)$) takes the accuracy from about a coin flip to nearly every point right.
# The arrow is $\mathbf{w}$; it points into the shaded class-1 region.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Try it: move the decision line
#
# The sliders below set $w_1$, $w_2$ and $b$; the shaded side is class 1, the arrow is $\mathbf{w}$.
# **Predict first**, write your guesses down, then drag to test them:
#
# 1. What does `w1` do to the line, and what does `b` do?
# 2. You multiply all three numbers by 2. What happens to the line and to the accuracy?
# 3. You flip all three signs. What happens to the line, and to an accuracy of, say, 30 %?
# 4. Can some setting reach 100 % on these blobs?
#
# The answers are below the widget.

# %% tags=["nnlib-neuron-widget"]
neuron = neuron_widget(X, y, w1=1.0, w2=-1.0, b=0.0)
neuron

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Answers
#
# <details><summary>Open after you have made your predictions and tried them.</summary>
#
# 1. `w1` and `w2` **turn** the line (the arrow $\mathbf{w}$ always stays perpendicular to it);
#    `b` **shifts** it along $\mathbf{w}$ without turning it.
# 2. Nothing changes: $2z \ge 0$ exactly where $z \ge 0$. Only the direction of $\mathbf{w}$ and
#    the ratio $b/\lVert\mathbf{w}\rVert$ matter.
# 3. The line stays where it is, but the sides swap: every point *off* the line changes its label,
#    so (when no point lies exactly on the line) an accuracy $p$ becomes $1-p$ — 30 % becomes 70 %.
#    A point *on* the line has $z = 0$, and $\operatorname{step}(0) = 1$ for both signs: it keeps
#    its label.
# 4. Yes — the perceptron in section 4 finds such a line by itself (and asserts it gets 100 %).
#
# </details>
#
# The widget is driven by plain functions, so the next cell checks these answers on numbers. It
# works on its own copy of the widget, so your sliders stay where you left them.

# %% slideshow={"slide_type": "skip"}
p = neuron_accuracy(X, y, 0.7, 1.3, -0.2)
assert np.isclose(neuron_accuracy(X, y, 2 * 0.7, 2 * 1.3, 2 * -0.2), p)  # scaling: same line
assert np.isclose(neuron_accuracy(X, y, -0.7, -1.3, 0.2), 1 - p)  # flipped signs: p -> 1 - p
# ... except for a point exactly on the line: z = 0 there, and step(0) = 1 whatever the signs.
on_line = np.array([[1.0, 1.0]])  # 1*1 + 1*1 - 2 = 0
assert neuron_predict(on_line, 1, 1, -2)[0] == neuron_predict(on_line, -1, -1, 2)[0] == 1
# Your widget, in whatever state you left it: its label says the accuracy of its sliders.
mine = {k: s.value for k, s in neuron.sliders.items()}
assert neuron.accuracy_label.value == accuracy_text(neuron_accuracy(X, y, **mine))
print(f"your sliders: w1 = {mine['w1']:.2f}, w2 = {mine['w2']:.2f}, b = {mine['b']:.2f} ->",
      neuron.accuracy_label.value)  # fmt: skip
# A fresh copy (never shown) shows that moving a slider updates the label.
probe = neuron_widget(X, y, w1=1.0, w2=-1.0, b=0.0)
before = probe.accuracy_label.value
probe.sliders["w2"].value = 1.0  # what dragging the slider does
assert probe.accuracy_label.value == accuracy_text(acc_good) != before
print("a fresh copy: label before:", before, "| after w2 = 1:", probe.accuracy_label.value)


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Learning the weights: the perceptron rule
#
# Instead of dragging sliders, let the neuron find its weights. Rosenblatt's rule goes through the
# training points one at a time; for a point $\mathbf{x}$ with target $y \in \{0, 1\}$ and
# prediction $\hat y$:
#
# $$\mathbf{w} \leftarrow \mathbf{w} + \eta\,(y - \hat y)\,\mathbf{x}, \qquad b \leftarrow b + \eta\,(y - \hat y)$$
#
# * right prediction: $y - \hat y = 0$, nothing changes;
# * predicted 0 but should be 1: add $\eta\mathbf{x}$ — $\mathbf{w}$ turns *towards* $\mathbf{x}$, so $z$ grows for this point;
# * predicted 1 but should be 0: subtract $\eta\mathbf{x}$ — $\mathbf{w}$ turns *away*.
#
# $\eta$ (eta) is the **learning rate**. One pass over all points is an **epoch**.


# %% slideshow={"slide_type": "subslide"}
def perceptron_train(X, y, epochs=20, lr=1.0):
    """Train one step-activation neuron with the perceptron rule.

    Returns the weights w, the bias b, and the number of mistakes made in each epoch.
    """
    w = np.zeros(X.shape[1])
    b = 0.0
    mistakes = []
    for _ in range(epochs):
        wrong = 0
        for xi, yi in zip(X, y):
            y_hat = 1 if np.dot(w, xi) + b >= 0 else 0
            w = w + lr * (yi - y_hat) * xi
            b = b + lr * (yi - y_hat)
            wrong += int(y_hat != yi)
        mistakes.append(wrong)
    return w, b, mistakes


def predict(X, w, b):
    return (X @ w + b >= 0).astype(int)


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### AND and OR: the rule converges
#
# The four inputs $(0,0), (0,1), (1,0), (1,1)$ with the targets of logical AND and OR:

# %% slideshow={"slide_type": "subslide"}
X4, _ = data.xor_data()  # the four corners of the unit square
gates = {"AND": np.array([0, 0, 0, 1]), "OR": np.array([0, 1, 1, 1])}

learned = {}
for name, target in gates.items():
    w_g, b_g, mistakes = perceptron_train(X4, target, epochs=20)
    learned[name] = (w_g, b_g, mistakes)
    first_clean = mistakes.index(0) + 1
    print(
        f"{name}: w = {w_g}, b = {b_g:+.1f}; mistakes per epoch {mistakes[:8]} ...; "
        f"no mistakes from epoch {first_clean} on"
    )
    assert np.array_equal(predict(X4, w_g, b_g), target)  # 100 % right
    assert all(m == 0 for m in mistakes[first_clean - 1 :])  # and it stays converged

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
for ax, (name, (w_g, b_g, _)) in zip(axes, learned.items()):
    plot_neuron(X4, gates[name], *w_g, b_g, ax=ax, padding=0.6, marker_size=150)
    ax.set_title(f"{name}, learned by the rule:\n{w_g[0]:g}·x1 {w_g[1]:+g}·x2 {b_g:+g} ≥ 0")
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Both times the rule stops changing after a few epochs with every point right. (A point lying
# exactly on the line has $z = 0$ and counts as class 1 — the rule only cares about $\ge$.) That is no luck: the
# **perceptron convergence theorem** (Novikoff, 1962) says that if *some* line separates the classes,
# the rule finds one after a finite number of mistakes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Try it: one update at a time
#
# The widget below runs the same rule on AND, but one **update** per press of *Step*: it skips the
# points the neuron already gets right, changes $\mathbf{w}$ and $b$ on the next wrong one, and
# circles that point; the dotted line is the line before the update, the solid one after.
# *Reset* starts again from $\mathbf{w} = 0, b = 0$.
#
# **Predict first:** at the start $z = 0$ for every input, so the neuron says 1 everywhere. Which
# point gets the first update, and where does the class-1 side go? How many updates will it take
# until no point is wrong — more or fewer than 4? Then press *Step* until it says every point is
# right.

# %%
stepper = perceptron_stepper(X4, gates["AND"], lr=1.0)
stepper

# %% [markdown] slideshow={"slide_type": "fragment"}
# The next cell answers the questions with a copy of the same stepper (yours keeps its state).

# %% slideshow={"slide_type": "skip"}
replay = PerceptronStepper(X4, gates["AND"], lr=1.0)
first = replay.step()
print("first update:", first.text())
assert first.index == 0 and first.predicted == 1 and first.target == 0  # (0, 0), z = 0 -> 1
assert replay.mistakes() == 1  # b = -1: everything class 0 now, only (1, 1) is wrong
used = [first.index]
while not (step := replay.step()).converged:
    used.append(step.index)
print(f"no point wrong after {replay.updates} updates, on the points {used}:")
print(f"w = {replay.w}, b = {replay.b:+g}")
assert replay.updates == len(used) == 11 and replay.mistakes() == 0 and used.count(3) == 4
# the same updates, in the same order, as perceptron_train: the same final line
assert np.array_equal(replay.w, learned["AND"][0]) and replay.b == learned["AND"][1]
print(
    "your stepper:", stepper.stepper.updates, "updates so far,", stepper.stepper.mistakes(), "wrong"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# <details><summary>Open after you have made your prediction.</summary>
#
# The first update is on $(0,0)$: $z = 0$ gives 1, the target is 0, so $b$ drops to $-1$ and every
# point becomes class 0 — one wrong point left, $(1,1)$. It takes 11 updates — more than you might
# guess for four points: 4 of them raise the line's class-1 side towards $(1,1)$ (point 3), the
# others push it back off $(0,0)$, $(0,1)$ or $(1,0)$, each correction undoing part of the last
# one. It ends on exactly the line `perceptron_train` printed above.
#
# </details>

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The same rule on the blobs
#
# It works on real-valued data too — here the 200 blob points with $\eta = 0.1$:

# %% slideshow={"slide_type": "subslide"}
w_blob, b_blob, mistakes_blob = perceptron_train(X, y, epochs=20, lr=0.1)
acc_blob = np.mean(predict(X, w_blob, b_blob) == y)
print(f"mistakes per epoch: {mistakes_blob[:10]} ...; final accuracy {acc_blob:.1%}")
assert acc_blob == 1.0 and mistakes_blob[-1] == 0

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. XOR: where one neuron fails
#
# XOR ("exclusive or") is 1 when exactly one input is 1. Run the same rule:

# %% slideshow={"slide_type": "subslide"}
y_xor = np.array([0, 1, 1, 0])
w_x, b_x, mistakes_xor = perceptron_train(X4, y_xor, epochs=100)
print("mistakes per epoch (first 10):", mistakes_xor[:10], "... last:", mistakes_xor[-1])
assert min(mistakes_xor) >= 1  # never a clean epoch, not once in 100

# Also with shuffled order and other learning rates: never 100 %.
rng = np.random.default_rng(0)
best = 0.0
for lr in (0.01, 0.1, 1.0):
    for _ in range(20):
        order = rng.permutation(4)
        w_s, b_s, _ = perceptron_train(X4[order], y_xor[order], epochs=50, lr=lr)
        best = max(best, np.mean(predict(X4, w_s, b_s) == y_xor))
print(f"best accuracy over 60 runs: {best:.0%}")
assert best <= 0.75

# %% [markdown] slideshow={"slide_type": "fragment"}
# The perceptron keeps making mistakes forever: every correction for one corner breaks another.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Is it the rule, or is it the neuron?
#
# Maybe a smarter rule would do better. Let's simply **try every neuron** on a grid of weights and
# biases and record the best accuracy on XOR. (Quick mode uses a coarser grid.)

# %% slideshow={"slide_type": "subslide"}
steps = pick(full=81, quick=31)
values = np.linspace(-2, 2, steps)
W1, W2, B = np.meshgrid(values, values, values, indexing="ij")
# z for all neurons and all four points at once: shape (steps, steps, steps, 4)
Z = W1[..., None] * X4[:, 0] + W2[..., None] * X4[:, 1] + B[..., None]
acc_grid = ((Z >= 0) == y_xor).mean(axis=-1)
print(f"tried {acc_grid.size:,} neurons; best XOR accuracy: {acc_grid.max():.0%}")
assert acc_grid.max() == 0.75
assert ((Z >= 0) == gates["AND"]).mean(axis=-1).max() == 1.0  # AND on the same grid: easy

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The geometric argument
#
# No neuron on the grid gets more than 3 of the 4 points — and none anywhere can. The neuron would
# need
#
# | input | target | condition |
# |---|---|---|
# | $(0,0)$ | 0 | $b < 0$ |
# | $(0,1)$ | 1 | $w_2 + b \ge 0$ |
# | $(1,0)$ | 1 | $w_1 + b \ge 0$ |
# | $(1,1)$ | 0 | $w_1 + w_2 + b < 0$ |
#
# Add the two middle rows: $w_1 + w_2 + 2b \ge 0$, so $w_1 + w_2 + b \ge -b > 0$ (using row 1) —
# which contradicts row 4. In pictures: the two 1-corners sit on one diagonal, the two 0-corners on
# the other, and **no straight line** puts both diagonals on different sides. XOR is not *linearly
# separable*.

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(10, 4.8))
for c, marker in ((0, "o"), (1, "s")):
    m = y_xor == c
    ax.scatter(
        X4[m, 0],
        X4[m, 1],
        s=180,
        color=OKABE_ITO[c],
        marker=marker,
        label=f"XOR = {c}",
        edgecolor="black",
        zorder=3,
    )
for k, (w1_, w2_, b_) in enumerate([(1, 1, -0.5), (1, 1, -1.5), (1, -1, -0.5)]):
    xs = np.array([-0.5, 1.5])
    acc_line = np.mean((X4 @ np.array([w1_, w2_]) + b_ >= 0) == y_xor)
    ax.plot(
        xs,
        -(w1_ * xs + b_) / w2_,
        color=OKABE_ITO[k + 2],
        linestyle=["-", "--", ":"][k],
        label=f"{w1_}·x1 {w2_:+}·x2 {b_:+} ≥ 0: {acc_line:.0%} right",
    )
ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="$x_1$", ylabel="$x_2$")
ax.set_title("XOR: every line gets at most 3 of 4 right")
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
plt.show()


# %% [markdown] slideshow={"slide_type": "fragment"}
# Minsky and Papert made this point in *Perceptrons* (1969), and it cooled research on neural
# networks for a decade. The way out — **several neurons in layers** — is lesson 03.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Exercises
#
# Each exercise has a code cell for your answer, a cell that checks it, and a cell with
# `hint(...)` / `solution(...)` (uncomment to use). Exercise 1 asks for code; 2 and 3 ask for a
# result (two updates followed by hand, weights that work); 4 is a bug to find and fix.
#
# ### Exercise 1 — the output of one neuron
#
# Write `neuron_output(x, w, b)`: the weighted sum of the inputs `x` with weights `w`, plus `b`,
# through the step function. Return `1` or `0` (1 when $z \ge 0$).


# %%
def neuron_output(x, w, b):
    # BEGIN SOLUTION
    z = np.dot(x, w) + b
    return 1 if z >= 0 else 0
    # END SOLUTION


# %%
check("01.neuron_output", neuron_output)


# %%
# hint("01.neuron_output")  # solution("01.neuron_output")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — two perceptron updates, by hand (a result)
#
# No code for this one: pen and paper, and the rule of section 4. A perceptron starts at
# $\mathbf{w} = (0, 0)$, $b = 0$, with learning rate $\eta = 0.5$, and sees two points, in this
# order: $\mathbf{x} = (-1, -1)$ with label $y = 0$, then $\mathbf{x} = (1, 2)$ with label
# $y = 0$. For each point compute $z$, the prediction $\hat y$ and the error $y - \hat y$, then
# update. **What are $w_1, w_2, b$ after the second point?** (Careful where $z = 0$.) The check
# names the step that went wrong without showing the answer; once it passes, `perceptron_train`
# can confirm it.

# %%
after_two = None  # (w1, w2, b) after the second point
# BEGIN SOLUTION
after_two = (0.0, -0.5, -1.0)
# END SOLUTION

# %%
check("01.perceptron_update", after_two)

# %%
# hint("01.perceptron_update")  # solution("01.perceptron_update")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — a NAND neuron
#
# NAND ("not and") is 0 only for the input $(1, 1)$. Choose `w1, w2, b` so that one step neuron
# computes it. (Any correct choice passes — there are infinitely many.)

# %%
nand = None
# BEGIN SOLUTION
nand = (-1.0, -1.0, 1.5)
# END SOLUTION

# %%
check("01.nand_weights", nand)

# %%
# hint("01.nand_weights")  # solution("01.nand_weights")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — debug a perceptron that never learns
#
# A classmate wrote `perceptron_buggy`. It runs without an error, but it never learns AND (run the
# next cell: it prints its accuracy). **Find the bug** — work through the first update by hand
# if you cannot see it — then write `perceptron_fixed` with the same arguments and the bug
# removed (copy the classmate's body and change what is wrong). It should return `w, b` and get
# AND, OR, NAND and the blobs 100 % right.


# %%
def perceptron_buggy(X, y, epochs=20, lr=1.0):
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(epochs):
        for xi, yi in zip(X, y):
            y_hat = 1 if np.dot(w, xi) + b >= 0 else 0
            error = y_hat - yi
            w = w + lr * error * xi
            b = b + lr * error
    return w, b


w_bug, b_bug = perceptron_buggy(X4, gates["AND"])
acc_bug = np.mean(predict(X4, w_bug, b_bug) == gates["AND"])
print(f"buggy perceptron on AND: w = {w_bug}, b = {b_bug:+g}, accuracy {acc_bug:.0%}")
assert acc_bug < 1


# %%
def perceptron_fixed(X, y, epochs=20, lr=1.0):
    # BEGIN SOLUTION
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(epochs):
        for xi, yi in zip(X, y):
            y_hat = 1 if np.dot(w, xi) + b >= 0 else 0
            error = yi - y_hat  # the fix: target minus prediction, not prediction minus target
            w = w + lr * error * xi
            b = b + lr * error
    return w, b
    # END SOLUTION


# %%
check("01.debug_perceptron", perceptron_fixed)

# %%
# hint("01.debug_perceptron")  # solution("01.debug_perceptron")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * A neuron computes $a = f(\mathbf{w}\cdot\mathbf{x} + b)$: weighted sum, bias, activation.
# * With a step activation it is a **linear classifier**: the decision boundary $\mathbf{w}\cdot\mathbf{x} + b = 0$
#   is a line (a plane, a hyperplane) perpendicular to $\mathbf{w}$; $b$ shifts it.
# * The **perceptron rule** $\mathbf{w} \mathrel{+}= \eta(y-\hat y)\mathbf{x}$ learns AND, OR and the
#   blobs — it converges whenever a separating line exists.
# * **XOR is not linearly separable**: four inequalities contradict each other, so no single neuron
#   (and no learning rule) gets more than 3 of 4 points.
# * Next: lesson 02 swaps the step for smooth activations (which we need for gradient descent), and
#   lesson 03 stacks neurons into layers — and solves XOR.
