"""The pinned environment starts quickly: ``import nbformat`` (in every tool, test worker, lab
and hub start) does not build rfc3987-syntax's grammars, which cost 3 s a process (jsonschema
4.24+ imports it eagerly; requirements.txt pins jsonschema below that and says why)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys, time
t = time.perf_counter()
import nbformat, jupytext
print(json.dumps({"seconds": time.perf_counter() - t,
                  "grammar": "rfc3987_syntax" in sys.modules}))
"""


def test_importing_nbformat_builds_no_iri_grammar():
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.splitlines()[-1])
    assert result["grammar"] is False, (
        "import nbformat imported rfc3987_syntax (3 s a process): is jsonschema >= 4.24 "
        "installed? requirements.txt pins it below; run `make install`"
    )
    print(f"import nbformat, jupytext: {result['seconds']:.2f} s")
