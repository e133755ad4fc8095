"""nnlib.byhand.autoencoder (lesson 13): PCA, the reparameterisation trick, the KL of a diagonal
Gaussian against N(0, I) (formula = Monte Carlo = Keras), the VAE loss against Keras' binary
cross-entropy, prior coverage, the Keras builders, and clear errors for bad input."""

import numpy as np
import pytest

from nnlib.byhand import autoencoder as A


def test_pca_finds_the_direction_of_largest_variance_and_reconstructs_exactly_at_full_rank():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 2)) * [3.0, 0.5]  # most variance along the first axis
    mean, comps = A.pca(x, 1)
    assert comps.shape == (1, 2) and abs(abs(comps[0, 0]) - 1) < 0.01
    x5 = rng.normal(size=(40, 5))
    mean5, comps5 = A.pca(x5, 5)
    np.testing.assert_allclose(comps5 @ comps5.T, np.eye(5), atol=1e-10)  # orthonormal rows
    np.testing.assert_allclose(A.pca_reconstruct(A.pca_codes(x5, mean5, comps5), mean5, comps5), x5)
    # a fixed sign: the same components on every call
    np.testing.assert_array_equal(A.pca(x5, 3)[1], A.pca(x5, 3)[1])


def test_kl_formula_matches_monte_carlo_and_known_values():
    mu = np.array([[0.0, 0.0], [1.0, -2.0], [0.5, 0.3]])
    log_var = np.array([[0.0, 0.0], [-1.0, 0.5], [np.log(0.04), 1.2]])
    kl = A.kl_diag_gaussian(mu, log_var)
    assert kl[0] == 0 and kl.shape == (3,)
    # one dimension, sigma = 1: KL = mu^2 / 2
    assert np.isclose(A.kl_diag_gaussian(np.array([2.0]), np.array([0.0])), 2.0)
    est, se = A.kl_monte_carlo(mu, log_var, 100_000, np.random.default_rng(1))
    assert np.all(np.abs(est - kl) <= 4 * se + 1e-12)


def test_kl_matches_keras_ops_of_the_vae():
    pytest.importorskip("tensorflow")
    vae = A.build_vae(latent=3, hidden=16, seed=0)
    rng = np.random.default_rng(2)
    mu, log_var = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    np.testing.assert_allclose(A.kl_diag_gaussian(mu, log_var), vae.kl(mu, log_var), rtol=1e-5)


def test_reparameterize_has_the_right_mean_and_spread():
    mu, log_var = np.array([1.0, -3.0]), np.array([0.0, np.log(4.0)])
    eps = np.random.default_rng(3).standard_normal((200_000, 2))
    z = A.reparameterize(mu, log_var, eps)
    np.testing.assert_allclose(z.mean(0), mu, atol=0.02)
    np.testing.assert_allclose(z.std(0), [1.0, 2.0], rtol=0.01)
    np.testing.assert_array_equal(A.reparameterize(mu, log_var, np.zeros(2)), mu)


def test_vae_loss_is_bce_sum_plus_beta_kl_and_matches_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(4)
    x = rng.integers(0, 256, size=(6, 784)).astype(np.uint8)
    p = rng.uniform(0.01, 0.99, size=(6, 784))
    mu, lv = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    total, recon, kl = A.vae_loss(x, p, mu, lv, beta=2.0)
    assert np.isclose(total, recon + 2.0 * kl)
    keras_bce = 784 * np.asarray(keras.losses.binary_crossentropy(x / 255, p))
    assert np.isclose(recon, keras_bce.mean(), rtol=1e-4)
    assert np.isclose(kl, A.kl_diag_gaussian(mu, lv).mean())


def test_prior_coverage_is_high_for_codes_from_the_prior_and_low_for_a_far_cluster():
    rng = np.random.default_rng(5)
    assert A.prior_coverage(rng.standard_normal((3000, 2))) > 0.9
    assert A.prior_coverage(rng.normal(5.0, 0.1, size=(3000, 2))) == 0.0
    codes = rng.standard_normal((300, 2))
    assert A.prior_coverage(codes, seed=1) == A.prior_coverage(codes, seed=1)  # seeded draws
    assert A.prior_coverage(codes, radius=10.0) == 1.0


def test_builders_give_the_shapes_the_lesson_uses_and_the_vae_trains():
    pytest.importorskip("tensorflow")
    import keras

    ae, enc, dec = A.build_autoencoder(3, hidden=16)
    x = np.random.default_rng(6).integers(0, 256, size=(64, 784)).astype(np.uint8)
    assert enc.predict(x, verbose=0).shape == (64, 3)
    assert ae.predict(x, verbose=0).shape == (64, 784)
    vae = A.build_vae(latent=2, hidden=16, beta=1.0, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    history = vae.fit(x, epochs=2, batch_size=32, verbose=0)
    assert set(history.history) >= {"loss", "reconstruction", "kl"}
    mu, lv = vae.encoder(x[:4])
    assert tuple(mu.shape) == tuple(lv.shape) == (4, 2)
    out = np.asarray(vae.decoder(np.zeros((1, 2), "float32")))
    assert out.shape == (1, 784) and 0 <= out.min() and out.max() <= 1


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: A.kl_diag_gaussian(np.zeros((2, 3)), np.zeros((2, 2))), ValueError, "same shape"),
        (lambda: A.kl_diag_gaussian("mu", np.zeros(2)), TypeError, "NumPy array"),
        (
            lambda: A.reparameterize(np.zeros(2), np.zeros(2), np.zeros(3)),
            ValueError,
            "shape of mu",
        ),
        (lambda: A.kl_monte_carlo(np.zeros(2), np.zeros(2), 10, 0), TypeError, "Generator"),
        (
            lambda: A.kl_monte_carlo(np.zeros(2), np.zeros(2), 0, np.random.default_rng()),
            ValueError,
            "positive int",
        ),  # fmt: skip
        (lambda: A.pca(np.zeros((4, 3)), 5), ValueError, "at most"),
        (lambda: A.pca(np.zeros(4), 1), ValueError, "dimension"),
        (
            lambda: A.vae_loss(
                np.zeros((2, 784)), np.full((2, 784), 0.5), np.zeros((3, 2)), np.zeros((3, 2))
            ),
            ValueError,
            "one code per digit",
        ),  # fmt: skip
        (
            lambda: A.vae_loss(
                np.zeros((1, 784)),
                np.full((1, 784), 0.5),
                np.zeros((1, 2)),
                np.zeros((1, 2)),
                beta=-1,
            ),
            ValueError,
            "beta",
        ),  # fmt: skip
        (lambda: A.kl_diag_gaussian(np.array([np.nan]), np.zeros(1)), ValueError, "NaN"),
        (lambda: A.prior_coverage(np.zeros(5)), ValueError, "dimension"),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()
