"""nnlib.byhand.denoiser (lesson 13): a tiny denoiser builds, trains (EMA put in at the end) and
samples; the shipped checkpoint loads with its info; bad arguments are named.  Small and fast:
the quality of the shipped checkpoint is measured by tools/train_ddpm.py (its .json), not here."""

import json
from pathlib import Path

import numpy as np
import pytest

from nnlib.byhand import denoiser as M
from nnlib.byhand.diffusion import make_schedule

SCHEDULE = make_schedule("cosine", 1000)
DIGITS = (np.random.default_rng(0).random((64, 28, 28)) * 255).astype(np.uint8)


@pytest.fixture(scope="module")
def tiny():
    return M.build_denoiser(hidden=16, blocks=1, seed=0)


def test_build_shapes_and_seed(tiny):
    assert [tuple(i.shape) for i in tiny.inputs] == [(None, 784), (None,)]
    out = tiny([np.zeros((3, 784), np.float32), np.array([0, 5, 999])])
    assert tuple(out.shape) == (3, 784)
    assert np.all(np.asarray(out) == 0)  # the output layer starts at zero
    again = M.build_denoiser(hidden=16, blocks=1, seed=0)
    for a, b in zip(tiny.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)
    other = M.build_denoiser(hidden=16, blocks=1, seed=1)
    assert not np.allclose(tiny.get_weights()[0], other.get_weights()[0])


def test_full_size_has_the_spikes_parameter_count():
    assert M.build_denoiser().count_params() == 3_451_664


def test_train_puts_the_ema_weights_in_and_reports(capsys):
    model = M.build_denoiser(hidden=16, blocks=1, seed=0)
    before = [w.copy() for w in model.get_weights()]
    seen = []
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)  # tracing the step costs more than 6 tiny steps
    try:
        result = M.train_denoiser(model, DIGITS, SCHEDULE, 6, batch=8, seed=0, jit=False,
                                  report=lambda *a: seen.append(a), report_every=4)  # fmt: skip
    finally:
        tf.config.run_functions_eagerly(False)
    assert result["steps"] == 6 and result["losses"].shape == (6,)
    assert np.all(np.isfinite(result["losses"])) and result["seconds"] > 0
    assert [s[0] for s in seen] == [4, 6]
    after = model.get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(before, after))
    assert "step     6/6" in capsys.readouterr().out  # progress on stdout


def test_sample_shapes_trajectory_and_seed(tiny):
    images, trajectory = M.sample(tiny, SCHEDULE, n=5, seed=0, steps=20, keep=3)
    assert images.shape == (5, 28, 28) and images.dtype == np.float32
    assert images.min() >= -1 and images.max() <= 1
    assert [t for t, _ in trajectory] == [1000, 474, 0]  # noise steps left
    assert all(snap.shape == (5, 28, 28) for _, snap in trajectory)
    np.testing.assert_array_equal(trajectory[-1][1], images)
    again, _ = M.sample(tiny, SCHEDULE, n=5, seed=0, steps=20, keep=0)
    np.testing.assert_array_equal(images, again)
    _, other = M.sample(tiny, SCHEDULE, n=5, seed=1, steps=20, keep=3)
    assert not np.allclose(trajectory[1][1], other[1][1])  # (the untrained model says x0 = 0)


def test_the_shipped_checkpoint_loads_with_its_info():
    model, info = M.load_checkpoint("ddpm")
    for key in ("steps", "cpu_minutes", "wall_minutes", "hidden", "blocks", "seed", "log"):
        assert key in info, key
    assert Path(info["log"]).exists() and model.count_params() == info["params"]
    assert info["quality"]["ancestral_1000"]["min_confident"] >= 0.7  # issue 28's goal
    assert info["quality"]["ancestral_1000"]["min_classes"] == 10
    images, _ = M.sample(model, SCHEDULE, n=2, steps=3, keep=0)
    assert images.shape == (2, 28, 28)


def test_checkpoints_are_package_data_and_small():
    folder = M.CHECKPOINTS
    sizes = sum(p.stat().st_size for p in folder.glob("*.npz"))
    assert sizes <= 8 * 2**20, sizes
    root = Path(__file__).resolve().parents[2]
    toml = (root / "pyproject.toml").read_text()
    assert '"checkpoints/*.npz"' in toml and '"checkpoints/*.json"' in toml
    for p in folder.glob("*.json"):
        assert (folder / json.loads(p.read_text())["log"]).exists()


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda m: M.build_denoiser(hidden=0), ValueError, "hidden must be at least 1"),
        (lambda m: M.build_denoiser(blocks=2.0), TypeError, "blocks must be an int"),
        (lambda m: M.build_denoiser(seed=-1), ValueError, "seed must be at least 0"),
        (lambda m: M.train_denoiser("model", DIGITS, SCHEDULE, 1), TypeError, "build_denoiser"),
        (lambda m: M.train_denoiser(m, DIGITS / 255, SCHEDULE, 1), TypeError, "uint8"),
        (lambda m: M.train_denoiser(m, DIGITS[:, :10], SCHEDULE, 1), ValueError, "(n, 28, 28)"),
        (lambda m: M.train_denoiser(m, DIGITS, SCHEDULE.betas, 1), TypeError, "make_schedule"),
        (lambda m: M.train_denoiser(m, DIGITS, SCHEDULE, 1.5), TypeError, "steps must be an int"),
        (lambda m: M.train_denoiser(m, DIGITS, SCHEDULE, 1, batch=0), ValueError, "batch"),
        (lambda m: M.train_denoiser(m, DIGITS, SCHEDULE, 1, report=3), TypeError, "report"),
        (lambda m: M.sample(m, SCHEDULE, n=0), ValueError, "n must be at least 1"),
        (lambda m: M.sample(m, SCHEDULE, steps=2000), ValueError, "from 1 to T = 1000"),
        (lambda m: M.sample(m, SCHEDULE, steps=10, keep=20), ValueError, "keep must be at most"),
        (lambda m: M.sample(None, SCHEDULE), TypeError, "model must be a denoiser"),
        (lambda m: M.sample(m, "cosine"), TypeError, "Schedule"),
        (lambda m: M.load_checkpoint("nope"), ValueError, "the checkpoints there are"),
        (lambda m: M.load_checkpoint("digit_classifier"), ValueError, "load_digit_classifier"),
    ],
)
def test_bad_arguments_are_named(tiny, call, error, words):
    with pytest.raises(error) as info:
        call(tiny)
    assert words in str(info.value), str(info.value)
