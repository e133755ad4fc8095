"""tools/train_ddpm.py: a tiny run (a 32-wide denoiser, 8 steps, a classifier on 500 digits, run
eagerly) into a temporary folder writes both checkpoints with their logs and summaries, and
nnlib loads what it wrote.  The shipped run's numbers: nnlib/data/checkpoints/*.json."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_tiny_run_writes_loadable_checkpoints(tmp_path):
    env = {**os.environ, "NNLIB_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "train_ddpm.py"), "--tiny", "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    names = {p.name for p in tmp_path.iterdir()}
    assert {"ddpm.npz", "ddpm.json", "ddpm.log", "digit_classifier.npz"} <= names, names
    info = json.loads((tmp_path / "ddpm.json").read_text())
    assert info["steps"] == 8 and info["hidden"] == 32 and info["cpu_minutes"] > 0
    assert info["quality"]["strided_10"]["runs"][0]["seed"] == 1
    log = (tmp_path / "ddpm.log").read_text().splitlines()
    assert [line.split()[1] for line in log if line.startswith("step")] == ["4", "8"]
    assert "loss" in log[1] and "cpu" in log[1] and "wall" in log[1]
    cinfo = json.loads((tmp_path / "digit_classifier.json").read_text())
    assert 0 <= cinfo["test_accuracy"] <= 1 and cinfo["log"] == "digit_classifier.log"

    from nnlib.byhand.denoiser import load_checkpoint
    from nnlib.byhand.judge import load_digit_classifier

    model, loaded = load_checkpoint("ddpm", folder=tmp_path)
    assert loaded["log"] == str(tmp_path / "ddpm.log") and model.count_params() == info["params"]
    assert load_digit_classifier(tmp_path).info["train_digits"] == 500
