"""Autoencoders and variational autoencoders (lesson 13): the NumPy pieces and the Keras models.

NumPy (no TensorFlow import):

* :func:`pca` / :func:`pca_codes` / :func:`pca_reconstruct` - the linear baseline: the best
  ``k``-dimensional linear code of the digits (principal components, from an SVD);
* :func:`reparameterize` - ``z = mu + exp(log_var / 2) * eps``: a sample of N(mu, sigma^2) written
  as a function of the encoder's outputs and noise that does not depend on them;
* :func:`kl_diag_gaussian` - KL(N(mu, diag(sigma^2)) || N(0, I)), in closed form, one per row;
* :func:`kl_monte_carlo` - the same KL estimated from samples (the check of the formula);
* :func:`vae_loss` - reconstruction (binary cross-entropy summed over the pixels) + beta * KL,
  averaged over the batch;
* :func:`prior_coverage` - the share of draws from the prior N(0, I) that have an encoded digit
  near them (how well the codes fill the prior).

Keras (imported lazily through :func:`nnlib.config.import_keras`):

* :func:`build_autoencoder` - a dense encoder to a ``code_size`` code and a decoder back;
* :func:`build_vae` - the same with a Gaussian code: a :class:`keras.Model` whose ``train_step``
  adds ``beta`` times the KL to the reconstruction loss; ``.encoder`` gives ``(mu, log_var)``,
  ``.decoder`` maps codes to images, ``.losses_of(x)`` gives ``(reconstruction, kl)``.

Images go in as ``uint8`` (n, 784) or float in [0, 1]: the models rescale inside, so the
training set can stay ``uint8`` (4x smaller).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "pca",
    "pca_codes",
    "pca_reconstruct",
    "reparameterize",
    "kl_diag_gaussian",
    "kl_monte_carlo",
    "bce_per_image",
    "vae_loss",
    "prior_coverage",
    "build_autoencoder",
    "build_vae",
    "as_unit_images",
]


# --------------------------------------------------------------------------- argument checks


def _array(x, name, ndim=None, min_ndim=None):
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a NumPy array of numbers, got {type(x).__name__}")
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}") from None
    if ndim is not None and a.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} dimension(s), got shape {a.shape}; "
            + ("one row per digit, e.g. x.reshape(len(x), -1)" if ndim == 2 else "")
        )
    if min_ndim is not None and a.ndim < min_ndim:
        raise ValueError(f"{name} needs at least {min_ndim} dimension(s), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} holds NaN or inf: the inputs must be finite numbers")
    return a


def _same_shape(a, b, na, nb):
    if a.shape != b.shape:
        raise ValueError(
            f"{na} and {nb} must have the same shape (one {nb} per {na}), got {a.shape} and "
            f"{b.shape}"
        )


def _positive_int(k, name):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"{name} must be a positive int, got {k!r}")
    return int(k)


def as_unit_images(x):
    """Digits as float64 rows in [0, 1]: ``uint8`` (0..255) is divided by 255, any shape
    (n, 28, 28) or (n, 784) becomes (n, 784)."""
    a = np.asarray(x)
    if a.ndim < 2:
        raise ValueError(f"expected a batch of images (n, 28, 28) or (n, 784), got shape {a.shape}")
    a = a.reshape(len(a), -1)
    return a / 255.0 if a.dtype == np.uint8 else _array(a, "images")


# --------------------------------------------------------------------------- PCA


def pca(x, k):
    """The ``k`` principal components of the rows of ``x``: ``(mean, components)`` with
    ``components`` of shape (k, features), orthonormal rows, largest variance first."""
    x = _array(x, "x", ndim=2)
    k = _positive_int(k, "k")
    if k > min(x.shape):
        raise ValueError(f"k must be at most min(rows, features) = {min(x.shape)}, got {k}")
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    components = vt[:k]
    signs = np.sign(components[np.arange(k), np.abs(components).argmax(axis=1)])
    return mean, components * signs[:, None]  # a fixed sign: the same picture on every run


def pca_codes(x, mean, components):
    """The ``k``-dimensional linear code of each row: its coordinates along the components."""
    x = _array(x, "x", ndim=2)
    return (x - mean) @ components.T


def pca_reconstruct(codes, mean, components):
    """Back from codes to rows: the best reconstruction a linear ``k``-dimensional code allows."""
    return _array(codes, "codes", ndim=2) @ components + mean


# --------------------------------------------------------------------------- VAE pieces


def reparameterize(mu, log_var, eps):
    """``z = mu + sigma * eps`` with ``sigma = exp(log_var / 2)``: a sample of N(mu, sigma^2)
    when ``eps`` is a sample of N(0, 1).  The randomness sits in ``eps`` alone, so ``z`` is a
    differentiable function of ``mu`` and ``log_var`` (dz/dmu = 1, dz/dlog_var = sigma eps / 2).
    ``eps`` may have extra leading axes: ``(k, *mu.shape)`` gives ``k`` samples of each code."""
    mu, log_var, eps = (_array(a, n) for a, n in ((mu, "mu"), (log_var, "log_var"), (eps, "eps")))
    _same_shape(mu, log_var, "mu", "log_var")
    if eps.shape[eps.ndim - mu.ndim :] != mu.shape or eps.ndim < mu.ndim:
        raise ValueError(
            f"eps must have the shape of mu {mu.shape} (one noise per entry), or end with it to "
            f"draw several samples at once, e.g. (k, *mu.shape); got {eps.shape}"
        )
    return mu + np.exp(0.5 * log_var) * eps


def kl_diag_gaussian(mu, log_var):
    """KL( N(mu, diag(exp(log_var))) || N(0, I) ) for each row (the last axis is the code):

    ``0.5 * sum(exp(log_var) + mu**2 - 1 - log_var)``, in nats; 0 exactly when mu = 0 and
    log_var = 0 (the code's distribution is the prior itself)."""
    mu, log_var = _array(mu, "mu", min_ndim=1), _array(log_var, "log_var", min_ndim=1)
    _same_shape(mu, log_var, "mu", "log_var")
    return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1.0 - log_var, axis=-1)


def kl_monte_carlo(mu, log_var, n_samples, rng):
    """The same KL estimated by sampling: the mean of ``log q(z) - log p(z)`` over ``n_samples``
    draws ``z ~ q = N(mu, sigma^2)`` per row.  Returns ``(estimate, standard_error)``, one each
    per row."""
    mu, log_var = _array(mu, "mu", min_ndim=1), _array(log_var, "log_var", min_ndim=1)
    _same_shape(mu, log_var, "mu", "log_var")
    n_samples = _positive_int(n_samples, "n_samples")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    eps = rng.standard_normal((n_samples, *mu.shape))
    z = mu + np.exp(0.5 * log_var) * eps
    log_q = -0.5 * np.sum(eps**2 + log_var + np.log(2 * np.pi), axis=-1)
    log_p = -0.5 * np.sum(z**2 + np.log(2 * np.pi), axis=-1)
    d = log_q - log_p
    return d.mean(axis=0), d.std(axis=0, ddof=1) / np.sqrt(n_samples)


def bce_per_image(x, x_recon, eps=1e-7):
    """Binary cross-entropy of each image, summed over its pixels (nats per image): ``x`` the
    digits in [0, 1], ``x_recon`` the decoder's pixel probabilities."""
    x, p = as_unit_images(x), as_unit_images(x_recon)
    _same_shape(x, p, "x", "x_recon")
    p = np.clip(p, eps, 1 - eps)
    return -np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=1)


def vae_loss(x, x_recon, mu, log_var, beta=1.0):
    """The VAE's loss on a batch, ``(total, reconstruction, kl)``, each averaged over the digits:
    reconstruction = binary cross-entropy summed over the 784 pixels, total = reconstruction +
    ``beta`` * KL.  It is the negative evidence lower bound (ELBO) when ``beta`` = 1."""
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.number)) or beta < 0:
        raise ValueError(f"beta (the KL weight) must be a number >= 0, got {beta!r}")
    recon = bce_per_image(x, x_recon)
    kl = kl_diag_gaussian(mu, log_var)
    if len(kl) != len(recon):
        raise ValueError(f"mu has {len(kl)} rows but x has {len(recon)} digits: one code per digit")
    return float(np.mean(recon + beta * kl)), float(recon.mean()), float(kl.mean())


def prior_coverage(codes, n_draws=1000, radius=0.25, seed=0):
    """How well ``codes`` (n, d) fill the prior: the share of ``n_draws`` draws from N(0, I) that
    have a code within ``radius``.  Near 1: wherever the prior sends a sample, the decoder has
    seen a digit there.  Low: the prior often lands in holes between (or far from) the codes."""
    codes = _array(codes, "codes", ndim=2)
    n_draws = _positive_int(n_draws, "n_draws")
    draws = np.random.default_rng(seed).standard_normal((n_draws, codes.shape[1]))
    d2 = (draws**2).sum(1)[:, None] - 2 * draws @ codes.T + (codes**2).sum(1)[None, :]
    return float(np.mean(np.sqrt(np.maximum(d2.min(axis=1), 0)) <= radius))


# --------------------------------------------------------------------------- Keras models


def _keras():
    from ..config import import_keras

    return import_keras()


def _dense_stack(keras, sizes, activation, name):
    return [keras.layers.Dense(s, activation=activation, name=f"{name}{i}") for i, s in
            enumerate(sizes)]  # fmt: skip


def build_autoencoder(code_size, hidden=256, seed=0):
    """``(autoencoder, encoder, decoder)``: 784 pixels (uint8 or [0, 1]) -> ``hidden`` ->
    ``code_size`` (a linear code) -> ``hidden`` -> 784 pixel probabilities (sigmoid).  Compile
    the autoencoder with binary cross-entropy and fit it on ``(x, x / 255)``."""
    keras = _keras()
    code_size = _positive_int(code_size, "code_size")
    hidden = _positive_int(hidden, "hidden")
    keras.utils.set_random_seed(seed)
    x_in = keras.Input((784,), name="pixels")
    h = keras.layers.Rescaling(1 / 255, name="scale")(x_in)
    h = keras.layers.Dense(hidden, activation="relu", name="enc")(h)
    code = keras.layers.Dense(code_size, name="code")(h)
    encoder = keras.Model(x_in, code, name=f"encoder{code_size}")
    z_in = keras.Input((code_size,), name="z")
    h = keras.layers.Dense(hidden, activation="relu", name="dec")(z_in)
    out = keras.layers.Dense(784, activation="sigmoid", name="pixels_out")(h)
    decoder = keras.Model(z_in, out, name=f"decoder{code_size}")
    autoencoder = keras.Model(x_in, decoder(encoder(x_in)), name=f"autoencoder{code_size}")
    return autoencoder, encoder, decoder


def build_vae(latent=2, hidden=256, beta=1.0, seed=0):
    """A variational autoencoder: the encoder gives ``(mu, log_var)`` of a Gaussian code, a
    code is drawn with the reparameterisation trick, the decoder gives pixel probabilities.
    Its loss (what ``fit`` minimises) is reconstruction + ``beta`` * KL per digit (nats), as
    :func:`vae_loss`.  Fit it on uint8 rows (n, 784) alone: ``vae.fit(x, epochs=...)``."""
    keras = _keras()
    import tensorflow as tf

    latent = _positive_int(latent, "latent")
    hidden = _positive_int(hidden, "hidden")
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.number)) or beta < 0:
        raise ValueError(f"beta (the KL weight) must be a number >= 0, got {beta!r}")
    keras.utils.set_random_seed(seed)

    x_in = keras.Input((784,), name="pixels")
    h = keras.layers.Rescaling(1 / 255, name="scale")(x_in)
    h = keras.layers.Dense(hidden, activation="relu", name="enc")(h)
    mu = keras.layers.Dense(latent, name="mu")(h)
    log_var = keras.layers.Dense(latent, name="log_var")(h)
    encoder = keras.Model(x_in, [mu, log_var], name="vae_encoder")
    z_in = keras.Input((latent,), name="z")
    h = keras.layers.Dense(hidden, activation="relu", name="dec")(z_in)
    out = keras.layers.Dense(784, activation="sigmoid", name="pixels_out")(h)
    decoder = keras.Model(z_in, out, name="vae_decoder")

    class VAE(keras.Model):
        """Encoder + reparameterisation + decoder; loss = reconstruction + beta * KL."""

        def __init__(self):
            super().__init__(name=f"vae_beta{beta:g}")
            self.encoder, self.decoder, self.beta = encoder, decoder, float(beta)
            self.seeds = keras.random.SeedGenerator(seed)
            self.trackers = {
                k: keras.metrics.Mean(name=k) for k in ("loss", "reconstruction", "kl")
            }

        def call(self, x, training=False):
            m, lv = self.encoder(x, training=training)
            eps = keras.random.normal(keras.ops.shape(m), seed=self.seeds)
            return self.decoder(m + keras.ops.exp(0.5 * lv) * eps, training=training)

        @staticmethod
        def kl(m, lv):
            """The KL of each row against N(0, I), in Keras operations (the formula above)."""
            return 0.5 * keras.ops.sum(keras.ops.exp(lv) + m**2 - 1.0 - lv, axis=-1)

        def losses_of(self, x, training=False):
            """``(reconstruction, kl)`` per digit, in nats, for a batch ``x`` (uint8 rows)."""
            m, lv = self.encoder(x, training=training)
            eps = keras.random.normal(keras.ops.shape(m), seed=self.seeds)
            p = self.decoder(m + keras.ops.exp(0.5 * lv) * eps, training=training)
            target = keras.ops.cast(x, "float32") / 255.0
            p = keras.ops.clip(p, 1e-7, 1 - 1e-7)
            bce = -(target * keras.ops.log(p) + (1 - target) * keras.ops.log(1 - p))
            return keras.ops.sum(bce, axis=-1), self.kl(m, lv)

        @property
        def metrics(self):
            return list(self.trackers.values())

        def train_step(self, data):
            x = data[0] if isinstance(data, tuple) else data
            with tf.GradientTape() as tape:
                recon, kl = self.losses_of(x, training=True)
                loss = keras.ops.mean(recon + self.beta * kl)
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply(grads, self.trainable_weights)
            for k, v in (("loss", loss), ("reconstruction", recon), ("kl", kl)):
                self.trackers[k].update_state(v)
            return {k: t.result() for k, t in self.trackers.items()}

        def test_step(self, data):
            x = data[0] if isinstance(data, tuple) else data
            recon, kl = self.losses_of(x)
            for k, v in (("loss", recon + self.beta * kl), ("reconstruction", recon), ("kl", kl)):
                self.trackers[k].update_state(v)
            return {k: t.result() for k, t in self.trackers.items()}

    vae = VAE()
    vae(keras.ops.zeros((1, 784)))  # builds the weights
    return vae
