"""`import lrdecay` against `import optax` and `import tensorflow`, each in a fresh process.

Target (issue 5): ``import lrdecay`` <= 0.1 s wall and no framework (nor numpy) imported.
Each import runs in a new interpreter (``python -c``), timed inside it with
``time.perf_counter`` around the import statement, several times; the median is reported,
along with the wall time of the whole subprocess (interpreter start-up included).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

import _common as c

HEAVY = ("numpy", "torch", "jax", "tensorflow", "keras", "matplotlib", "optax")

PROBE = (
    "import sys, time, json\n"
    "t0 = time.perf_counter()\n"
    "import {module}\n"
    "t1 = time.perf_counter()\n"
    "print(json.dumps({{'seconds': t1 - t0, 'heavy': sorted(m for m in {heavy!r} if m in sys.modules)}}))\n"
)


def measure(module: str, runs: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(c.ROOT / "src"), env.get("PYTHONPATH", "")])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    inner, walls, heavy = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(module=module, heavy=HEAVY)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        walls.append(time.perf_counter() - t0)
        if out.returncode != 0:
            return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
        data = json.loads(out.stdout.strip().splitlines()[-1])
        inner.append(data["seconds"])
        heavy = data["heavy"]
    return {"import": statistics.median(inner), "wall": statistics.median(walls), "heavy": heavy}


def main() -> str:
    results = {
        "lrdecay": measure("lrdecay", 9),
        "optax": measure("optax", 3),
        "tensorflow": measure("tensorflow", 3),
    }
    base = results["lrdecay"]["import"]
    header = [
        "import",
        "median import",
        "median process wall",
        "vs lrdecay",
        "also imported",
        "target",
        "status",
    ]
    rows = []
    for name, r in results.items():
        if "error" in r:
            rows.append([f"`import {name}`", "n/a: " + r["error"], "", "", "", "", ""])
            continue
        target, status = "", ""
        if name == "lrdecay":
            target = "<= 0.1 s, no framework"
            status = c.verdict(r["import"] <= 0.1 and not r["heavy"])
        rows.append(
            [
                f"`import {name}`",
                f"{r['import'] * 1e3:.1f} ms",
                f"{r['wall'] * 1e3:.0f} ms",
                f"{r['import'] / base:.0f}x",
                ", ".join(r["heavy"]) or "none",
                target,
                status,
            ]
        )
    title = "Import time (fresh interpreter each run)"
    c.print_table(title, header, rows)
    body = c.markdown_table(header, rows)
    body += (
        "\n`median import` times the import statement alone; `median process wall` is the"
        " whole `python -c` (interpreter start-up included). `also imported` lists which of"
        f" {', '.join(HEAVY)} ended up in `sys.modules`.\n"
    )
    c.write_markdown("import", title, body)
    return body


if __name__ == "__main__":
    main()
    sys.exit(0)
