"""JupyterLab server settings for the course: `make lab` passes this file with --config, and
binder/postBuild puts it into the image's Jupyter configuration ($NB_PYTHON_PREFIX/etc/jupyter).

Idle kernels are shut down ("culled") so that lessons left open in forgotten tabs give their
memory back (a kernel that imported Keras holds ~650 MB; Binder gives 1-2 GB):

* a kernel idle (no cell running, no output) for 30 minutes on a laptop, 15 minutes on Binder
  (where memory is tight and the whole session ends after ~10 minutes without a browser anyway),
  is shut down; the notebook and everything saved in it stay, only the kernel's variables go
  (Run > Run All Cells brings them back);
* tabs left open do not protect a kernel (cull_connected): the open tab is the usual case;
* a busy kernel (a training run) is never culled.

NNLIB_CULL_IDLE_S=seconds overrides the timeout (0 turns culling off); the tests use a short one.
"""

import os

on_binder = "BINDER_SERVICE_HOST" in os.environ or "BINDER_LAUNCH_HOST" in os.environ
c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file
c.MappingKernelManager.cull_idle_timeout = int(
    os.environ.get("NNLIB_CULL_IDLE_S", 900 if on_binder else 1800)
)
c.MappingKernelManager.cull_interval = min(
    60, max(1, c.MappingKernelManager.cull_idle_timeout // 4)
)
c.MappingKernelManager.cull_connected = True
c.MappingKernelManager.cull_busy = False
