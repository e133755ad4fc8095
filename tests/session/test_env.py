"""nnlib.session.env: the welcome lesson's environment report."""

from nnlib.session import env


def test_report_offline(offline, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    r = env.print_environment_report(check_network=True)
    out = capsys.readouterr().out
    assert r["network"] is None  # offline mode: never touches the network
    assert r["offline_mode"] and "Offline mode: ON" in out
    assert "offline fallback" in r["mnist_source"]
    assert r["packages"]["numpy"] and r["packages"]["keras"]
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(b"")
    # offline, load_mnist does not read the Keras cache either: the report says what it will do
    assert "offline fallback" in env.environment_report()["mnist_source"]
    monkeypatch.delenv("NNLIB_OFFLINE")
    assert "Keras cache" in env.environment_report()["mnist_source"]
    monkeypatch.setenv("NNLIB_OFFLINE", "1")
    monkeypatch.setenv("NNLIB_DATA_DIR", str(tmp_path / "datasets"))
    assert "data folder NNLIB_DATA_DIR" in env.environment_report()["mnist_source"]


def test_missing_package_is_reported():
    assert (
        env.package_versions(["numpy", "surely-not-installed-xyz"])["surely-not-installed-xyz"]
        is None
    )
