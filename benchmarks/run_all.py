"""Run every benchmark, each in a fresh interpreter, and write benchmarks/results/README.md.

``make bench`` runs this. Each script prints its table and writes
``benchmarks/results/<workload>.md``; this script adds the machine description and
joins them into ``benchmarks/results/README.md``, the table the project README copies.
Takes about two minutes on a 2-core machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import _common as c

SCRIPTS = [
    "bench_import",
    "bench_scalar",
    "bench_torch_step",
    "bench_presets_torch",
    "bench_evaluate",
    "bench_compose",
]
WORKLOADS = {
    "bench_import": "import",
    "bench_scalar": "scalar",
    "bench_torch_step": "torch_step",
    "bench_presets_torch": "presets_torch",
    "bench_evaluate": "evaluate",
    "bench_compose": "compose",
}


def main() -> int:
    here = c.ROOT / "benchmarks"
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's start-up chatter
    failed = []
    t0 = time.perf_counter()
    for name in SCRIPTS:
        print(f"\n=== {name} ===", flush=True)
        code = subprocess.call([sys.executable, str(here / f"{name}.py")], env=env, cwd=here)
        if code != 0:
            failed.append(name)
    elapsed = time.perf_counter() - t0

    m = c.machine()
    parts = [
        "# lrdecay benchmark results\n",
        "Machine: " + m["cpu"] + f", {m['os']}. Python {m['python']}, numpy {m['numpy']}, "
        f"TensorFlow {m['tensorflow']} (Keras {m['keras']}), jax {m['jax']}, "
        f"optax {m['optax']}, torch {m['torch']}.\n",
        f"Command: `make bench` (`python benchmarks/run_all.py`), {elapsed:.0f} s. Medians "
        "of repeated runs; every peer measured in the same process as lrdecay, back to "
        "back.\n",
    ]
    for name in SCRIPTS:
        path = c.RESULTS / f"{WORKLOADS[name]}.md"
        if path.exists():
            parts.append(path.read_text(encoding="utf-8"))
    (c.RESULTS / "README.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"\nWrote {c.RESULTS / 'README.md'} ({elapsed:.0f} s)")
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
