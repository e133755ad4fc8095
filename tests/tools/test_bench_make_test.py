"""benchmarks/bench_make_test.py reads pytest's --durations=0 lines into the summed time per
notebook and per test folder (the numbers docs/benchmarks.md quotes)."""

import bench_make_test
import pytest

LOG = """\
============================== slowest durations ===============================
22.85s call     notebooks/11_applications.ipynb::Cell 2
7.28s call     notebooks/11_applications.ipynb::Cell 25
6.97s setup    tests/session/test_config.py::test_seed_everything_seeds_keras_reproducibly
3.36s call     tests/exercises/test_exercises_lesson07.py::test_fix_training_wrong_answers[train-learning rate is 1]
0.50s teardown tests/exercises/test_checks.py::test_kernel_stays_usable_after_a_stopped_loop
=========== 3662 passed, 68 skipped, 1 xfailed in 326.39s (0:05:26) ============
"""


def test_sums_per_notebook_and_test_folder_and_keeps_node_ids_with_spaces():
    groups, items = bench_make_test.where_the_time_goes(LOG)
    assert groups["notebooks/11_applications.ipynb"] == pytest.approx(30.13)
    assert groups["tests/exercises/"] == pytest.approx(3.86)
    assert groups["tests/session/"] == pytest.approx(6.97)
    assert items[0] == (22.85, "call notebooks/11_applications.ipynb::Cell 2")
    assert items[3][1].endswith("[train-learning rate is 1]")


def test_a_log_without_durations_is_refused(tmp_path):
    log = tmp_path / "out.txt"
    log.write_text("=== 3 passed in 1.0s ===\n")
    with pytest.raises(SystemExit, match="no --durations lines"):
        bench_make_test.main(["--log", str(log)])


def test_summary_line_is_read(tmp_path, capsys):
    log = tmp_path / "out.txt"
    log.write_text(LOG)
    assert bench_make_test.main(["--log", str(log), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "3662 passed, 68 skipped, 1 xfailed in 326 s" in out
    assert "summed test time 41 s: notebooks 30 s, the rest 11 s" in out
