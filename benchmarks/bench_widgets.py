"""Drive every widget of the course in a real kernel, as a learner's browser does, and time it.

For each lesson: start a kernel (ipykernel, the inline matplotlib backend, as in JupyterLab), run
the notebook's cells in quick/offline mode, find every live widget with controls (each
``ipywidgets.interactive`` and nnlib's own widget boxes), then change each control through a
``comm_msg`` - the very message JupyterLab sends when a slider moves - and time from sending it
until the kernel is idle again, i.e. until the new output has been sent (one "step").  Lesson 06
also clicks the playground's Train button and times 500 epochs from the click to the last frame,
how many frames came (the figure and the hidden neurons; then the same with the neurons
switched off), how fast Pause and Stop answer, and how fast the kernel answers a code cell while
training runs.  (The comm messages go to the kernel's main shell; JupyterLab 4.4+ sends them to
a subshell thread, which tests/browser/test_browser_playground.py covers.)

    python benchmarks/bench_widgets.py            # every lesson (a few minutes; TF lessons)
    python benchmarks/bench_widgets.py --only 01 06

Run it alone on the machine (``flock /tmp/heavy.lock``): times are wall-clock.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
from jupyter_client import KernelManager

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STEPS = 5  # value changes per control
BUDGET_MS = 100

# Runs in the kernel: every widget with controls -> what to send to each control.
DISCOVER = r"""
def _nnlib_bench_discover():
    import json
    import ipywidgets as W
    from ipywidgets.widgets.widget import _instances

    names = {id(v): k for k, v in globals().items() if isinstance(v, W.Widget) and not k.startswith("_")}
    if "playground" in globals():
        names[id(globals()["playground"].widget)] = "playground"
    def steps(c):
        if isinstance(c, (W.Dropdown, W.SelectionSlider, W.ToggleButtons, W.RadioButtons)):
            n = len(c.options)
            return [{"index": (c.index + k) % n} for k in range(1, STEPS + 1) if n > 1]
        if isinstance(c, W.Checkbox):
            return [{"value": (not c.value) if k % 2 else c.value} for k in range(1, STEPS + 1)]
        if isinstance(c, W.FloatRangeSlider):
            lo, hi = c.value
            return [{"value": [lo + k * c.step, hi]} if lo + k * c.step < hi else {"value": [lo, hi]}
                    for k in range(1, STEPS + 1)]
        if isinstance(c, W.FloatLogSlider):
            e = __import__("math").log(c.value, c.base)
            sign = 1 if e + STEPS * c.step <= c.max else -1
            return [{"value": c.base ** (e + sign * k * c.step)} for k in range(1, STEPS + 1)]
        if isinstance(c, (W.FloatSlider, W.IntSlider)):
            sign = 1 if c.value + STEPS * c.step <= c.max else -1
            vals = [min(max(c.value + sign * k * c.step, c.min), c.max) for k in range(1, STEPS + 1)]
            return [{"value": type(c.value)(v)} for v in vals]
        if isinstance(c, W.Text):
            return [{"value": c.value + " really" * k} for k in range(1, STEPS + 1)]
        return []
    found = []
    for w in list(_instances.values()):
        if isinstance(w, W.interactive):
            controls = [(c.description or "?", c) for c in w.kwargs_widgets]
        elif "nnlib-neuron-widget" in getattr(w, "_dom_classes", ()):
            controls = list(w.sliders.items())
        elif "nnlib-playground" in getattr(w, "_dom_classes", ()):
            controls = [(n, w.controls[n]) for n in ("learning_rate", "neurons", "layers", "dataset",
                                                     "activation")]
            controls.append(("hidden neurons", w.playground.neurons_checkbox))
        elif "nnlib-activation-explorer" in getattr(w, "_dom_classes", ()):
            controls = [("z range", w.z_range), ("tick tanh", w.checkboxes["tanh"])]
        else:
            continue
        for label, c in controls:
            s = steps(c)
            if s:
                mode = ("click" if not hasattr(c, "continuous_update") else
                        "while dragging" if c.continuous_update else "on release")
                found.append({"widget": names.get(id(w), type(w).__name__), "control": label,
                              "model_id": c.model_id, "steps": s, "mode": mode})
    return json.dumps(found)
print(_nnlib_bench_discover())
""".replace("STEPS", str(STEPS))

PLAYGROUND = r"""
import json
# the lesson's settings (the timed steps above changed them)
for _name, _value in [("dataset", "spirals"), ("layers", 2), ("neurons", 16),
                      ("activation", "relu"), ("learning_rate", 0.01)]:
    playground.controls[_name].value = _value
assert (playground.dataset, playground.hidden, playground.activation) == ("spirals", (16, 16), "relu")
playground.neurons_checkbox.value = True
print(json.dumps({k: getattr(playground, a).model_id for k, a in
      [("train", "train_button"), ("stop", "stop_button"), ("reset", "reset_button"),
       ("status", "status"), ("image", "image"), ("neurons", "neurons_checkbox"),
       ("neurons_image", "neurons_image")]} | {"epochs": playground.controls["epochs"].model_id}))
"""


class Kernel:
    def __init__(self, cwd, env):
        self._sockets = tempfile.TemporaryDirectory(prefix="nnlib-bench-")
        self.km = KernelManager(
            kernel_name="python3", transport="ipc", ip=f"{self._sockets.name}/k"
        )
        self.km.start_kernel(cwd=str(cwd), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.process = psutil.Process(self.km.provisioner.process.pid)

    def cpu(self):
        """CPU seconds the kernel has used so far (user + system): on a busy machine this, not
        the wall time, is what the same step would take on an idle one."""
        t = self.process.cpu_times()
        return t.user + t.system

    def run(self, code, timeout=900):
        """Execute ``code``; returns its stdout; raises on an error."""
        out, err = [], []

        def hook(msg):
            t, c = msg["msg_type"], msg["content"]
            if t == "stream":
                (out if c["name"] == "stdout" else err).append(c["text"])
            elif t == "error":
                err.append("\n".join(c["traceback"]))

        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=hook)
        if reply["content"]["status"] != "ok":
            raise RuntimeError("".join(err)[-3000:])
        return "".join(out)

    def send_comm(self, comm_id, data):
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def wait_idle(self, msg_id, timeout=60):
        """Wait for the kernel to be idle after message ``msg_id``; returns the iopub messages."""
        seen, end = [], time.monotonic() + timeout
        while time.monotonic() < end:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            seen.append(msg)
            if (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"
            ):
                return seen
        raise TimeoutError(f"no idle after {msg_id}")

    def wait_for(self, predicate, timeout=60):
        """Read iopub until ``predicate(msg)``; returns (seconds, messages read)."""
        t0, seen = time.perf_counter(), []
        while time.perf_counter() - t0 < timeout:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            seen.append(msg)
            if predicate(msg):
                return time.perf_counter() - t0, seen
        raise TimeoutError("condition not met")

    def drain(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.2)
            except Exception:
                return

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self._sockets.cleanup()


def _state_update(msg, comm_id):
    if msg["msg_type"] != "comm_msg" or msg["content"]["comm_id"] != comm_id:
        return None
    data = msg["content"]["data"]
    return data.get("state") if data.get("method") in ("update", "echo_update") else None


def status_is(ids, words, absent=()):
    def pred(msg):
        st = _state_update(msg, ids["status"])
        v = (st or {}).get("value", "")
        return bool(v) and all(w in v for w in words) and not any(a in v for a in absent)

    return pred


def _timed_run(k, ids, epochs):
    """Reset, click Train, wait for the status line of the last frame: (seconds, kernel CPU
    seconds, frames of the figure, frames of the hidden neurons, final status)."""
    click = {"method": "custom", "content": {"event": "click"}}
    update = {"method": "update", "buffer_paths": []}
    k.wait_idle(k.send_comm(ids["reset"], click))
    k.wait_idle(k.send_comm(ids["epochs"], update | {"state": {"value": epochs}}))
    k.drain()
    t0, c0 = time.perf_counter(), k.cpu()
    k.send_comm(ids["train"], click)
    secs, seen = k.wait_for(status_is(ids, [f"epoch {epochs} "], ["training"]), timeout=120)

    def frames(comm_id):
        return sum(
            1
            for m in seen
            if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id and m["buffers"]
        )

    total, total_cpu = time.perf_counter() - t0, k.cpu() - c0
    final = _state_update(seen[-1], ids["status"])["value"]
    return total, total_cpu, frames(ids["image"]), frames(ids["neurons_image"]), final


def bench_playground(k, epochs=500):
    ids = json.loads(k.run(PLAYGROUND))
    click = {"method": "custom", "content": {"event": "click"}}
    update = {"method": "update", "buffer_paths": []}
    # 1. click Train -> the last frame of 500 epochs: hidden neurons on (the default), then off
    total, total_cpu, frames, neuron_frames, final = _timed_run(k, ids, epochs)
    k.wait_idle(k.send_comm(ids["neurons"], update | {"state": {"value": False}}))
    off = _timed_run(k, ids, epochs)
    k.wait_idle(k.send_comm(ids["neurons"], update | {"state": {"value": True}}))
    # 2. a long run: a code cell while training, Pause, Resume, Stop
    k.wait_idle(k.send_comm(ids["reset"], click))
    k.wait_idle(k.send_comm(ids["epochs"], update | {"state": {"value": 2000}}))
    k.drain()
    k.send_comm(ids["train"], click)
    k.wait_for(status_is(ids, ["training"]))
    time.sleep(0.3)
    t = time.perf_counter()
    k.wait_idle(k.kc.execute("x_while_training = 1 + 1"))
    cell_ms = 1000 * (time.perf_counter() - t)
    t = time.perf_counter()
    k.send_comm(ids["train"], click)  # the same button reads "Pause" now
    pause_ms = 1000 * k.wait_for(status_is(ids, ["paused"]))[0]
    k.send_comm(ids["train"], click)  # "Resume"
    k.wait_for(status_is(ids, ["training"]))
    time.sleep(0.3)
    k.send_comm(ids["stop"], click)
    stop_ms = 1000 * k.wait_for(status_is(ids, ["epoch"], ["training", "paused"]))[0]
    return {
        "epochs": epochs,
        "click_to_last_frame_s": total,
        "kernel_cpu_s": total_cpu,
        "frames": frames,
        "neuron_frames": neuron_frames,
        "status": final,
        "without_neurons_s": off[0],
        "without_neurons_cpu_s": off[1],
        "without_neurons_frames": off[2],
        "cell_while_training_ms": cell_ms,
        "pause_ms": pause_ms,
        "stop_ms": stop_ms,
    }


def bench_lesson(path, env):
    nb = nbformat.read(path, as_version=4)
    k = Kernel(path.parent, env)
    rows, extra = [], None
    try:
        t = time.perf_counter()
        for cell in nb.cells:
            if cell.cell_type == "code":
                k.run(cell.source)
        print(f"{path.stem}: cells ran in {time.perf_counter() - t:.1f} s", flush=True)
        k.drain()
        for ctl in json.loads(k.run(DISCOVER).strip().splitlines()[-1]):
            times, cpu = [], []
            for state in ctl["steps"]:
                t, c = time.perf_counter(), k.cpu()
                k.wait_idle(
                    k.send_comm(
                        ctl["model_id"], {"method": "update", "state": state, "buffer_paths": []}
                    )
                )
                times.append(1000 * (time.perf_counter() - t))
                cpu.append(1000 * (k.cpu() - c))
            rows.append(
                {
                    "lesson": path.stem[:2],
                    "widget": ctl["widget"],
                    "control": ctl["control"],
                    "mode": ctl["mode"],
                    "median_ms": statistics.median(times),
                    "max_ms": max(times),
                    "cpu_ms": statistics.median(cpu),
                }
            )
        if path.stem.startswith("06"):
            extra = bench_playground(k)
    finally:
        k.close()
    return rows, extra


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", default=None, help="lesson numbers, e.g. 01 06")
    ap.add_argument("--json", type=Path, help="also write the results to this file")
    args = ap.parse_args(argv)
    env = dict(os.environ, NNLIB_QUICK="1", NNLIB_OFFLINE="1", PYTHONHASHSEED="0")
    env.pop("MPLBACKEND", None)  # the kernel's own inline backend, as in JupyterLab
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.only:
        paths = [p for p in paths if p.stem[:2] in args.only]
    rows, playground = [], None
    load_start = os.getloadavg()[0]
    for path in paths:
        r, extra = bench_lesson(path, env)
        rows += r
        playground = extra or playground
    print(
        f"\nload average (1 min) at the start {load_start:.1f}, at the end "
        f"{os.getloadavg()[0]:.1f} ({os.cpu_count()} cores: above ~1 wall times grow)"
    )
    print(
        f"\n| lesson | widget | control | updates | ms per step (median) | max ms "
        f"| kernel CPU ms (median) | <= {BUDGET_MS} ms |"
    )
    print("|---|---|---|---|---:|---:|---:|---|")
    for r in rows:
        ok = "yes" if r["median_ms"] <= BUDGET_MS else "**no**"
        print(
            f"| {r['lesson']} | `{r['widget']}` | {r['control']} | {r['mode']} | "
            f"{r['median_ms']:.0f} | {r['max_ms']:.0f} | {r['cpu_ms']:.0f} | {ok} |"
        )
    if playground:
        p = playground
        print(
            f"\nplayground: {p['epochs']} epochs from the click to the last frame "
            f"{p['click_to_last_frame_s']:.2f} s (kernel CPU {p['kernel_cpu_s']:.2f} s), "
            f"{p['frames']} frames "
            f"({p['frames'] / p['click_to_last_frame_s']:.1f} per second), hidden neurons shown "
            f"({p['neuron_frames']} frames of them); final status: {p['status']!r}\n"
            f"without the hidden neurons: {p['without_neurons_s']:.2f} s (kernel CPU "
            f"{p['without_neurons_cpu_s']:.2f} s), {p['without_neurons_frames']} frames\n"
            f"while training: a code cell answered in "
            f"{p['cell_while_training_ms']:.0f} ms, Pause in {p['pause_ms']:.0f} ms, "
            f"Stop in {p['stop_ms']:.0f} ms"
        )
    if args.json:
        args.json.write_text(json.dumps({"steps": rows, "playground": playground}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
