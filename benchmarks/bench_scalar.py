"""One scalar call from a Python int: lrdecay against tf.keras, optax (eager) and bare Python.

Workloads (issue 5):
* ``ExponentialDecay(0.1, 1000, 0.96)(137)``: <= 0.5 µs, >= 200x faster than tf.keras,
  >= 40x faster than optax eager, within 5x of ``lr * rate ** (step / steps)``.
* a linear warmup then cosine (``CosineDecay(0.0, 1000, warmup_target=0.1,
  warmup_steps=100)``; optax's ``warmup_cosine_decay_schedule``): <= 1.5 µs. This is
  CosineDecay's own warmup; composed warmups are in bench_compose.py.

Every implementation is called with the Python int 137 and returns its own scalar kind
(a float for lrdecay and bare Python, a 0-d tensor/array for the peers).
"""

from __future__ import annotations

import math
import sys

import _common as c


def main() -> str:
    import lrdecay

    rows: list[list[str]] = []
    results: dict[str, float] = {}

    exp = lrdecay.ExponentialDecay(0.1, 1000, 0.96)
    warm = lrdecay.CosineDecay(0.0, 1000, warmup_target=0.1, warmup_steps=100)
    assert exp(137) == exp(137) and math.isclose(exp(137), 0.1 * 0.96 ** (137 / 1000))

    results["lrdecay exp"] = c.stmt_ns("s(137)", {"s": exp})
    results["lrdecay exp float"] = c.stmt_ns("s(137.0)", {"s": exp})
    results["bare"] = c.stmt_ns(
        "lr * rate ** (step / steps)", {"lr": 0.1, "rate": 0.96, "step": 137, "steps": 1000}
    )
    results["lrdecay warm"] = c.stmt_ns("s(137)", {"s": warm})

    peers_missing = []
    try:
        import jax
        import optax

        jax.config.update("jax_platforms", "cpu")
        oexp = optax.exponential_decay(0.1, 1000, 0.96)
        owarm = optax.warmup_cosine_decay_schedule(0.0, 0.1, 100, 1100)
        assert math.isclose(float(owarm(137)), warm(137), rel_tol=1e-6)
        results["optax exp"] = c.stmt_ns("s(137)", {"s": oexp}, repeats=5)
        results["optax warm"] = c.stmt_ns("s(137)", {"s": owarm}, repeats=5)
    except ImportError:
        peers_missing.append("optax")
    try:
        import tensorflow as tf

        ks = tf.keras.optimizers.schedules
        kexp = ks.ExponentialDecay(0.1, 1000, 0.96)
        kwarm = ks.CosineDecay(0.0, 1000, warmup_target=0.1, warmup_steps=100)
        assert math.isclose(float(kwarm(137)), warm(137), rel_tol=1e-6)
        results["tf exp"] = c.stmt_ns("s(137)", {"s": kexp}, repeats=5)
        results["tf warm"] = c.stmt_ns("s(137)", {"s": kwarm}, repeats=5)
    except ImportError:
        peers_missing.append("tensorflow")

    def row(name: str, key: str, base: str, target: str, ok: bool | None) -> None:
        if key not in results:
            rows.append([name, "n/a: not installed", "", target, "n/a"])
            return
        ns = results[key]
        if key == base:
            ratio = "1x"
        elif key == "bare":
            ratio = f"lrdecay is {results[base] / ns:.1f}x this"
        else:
            ratio = f"{ns / results[base]:.1f}x"
        rows.append([name, c.fmt_time(ns), ratio, target, c.verdict(ok) if target else ""])

    e = results["lrdecay exp"]
    row(
        "lrdecay `ExponentialDecay(0.1, 1000, 0.96)(137)`",
        "lrdecay exp",
        "lrdecay exp",
        "<= 0.5 µs",
        e <= 500,
    )
    row("lrdecay, float step `(137.0)`", "lrdecay exp float", "lrdecay exp", "", None)
    row(
        "bare Python `lr * rate ** (step / steps)`",
        "bare",
        "lrdecay exp",
        "lrdecay within 5x",
        e <= 5 * results["bare"],
    )
    row(
        "optax `exponential_decay` eager",
        "optax exp",
        "lrdecay exp",
        ">= 40x lrdecay",
        results.get("optax exp", 0) >= 40 * e if "optax exp" in results else None,
    )
    row(
        "tf.keras `ExponentialDecay` eager",
        "tf exp",
        "lrdecay exp",
        ">= 200x lrdecay",
        results.get("tf exp", 0) >= 200 * e if "tf exp" in results else None,
    )
    w = results["lrdecay warm"]
    row(
        "lrdecay warmup + cosine `CosineDecay(0, 1000, warmup_target=0.1, warmup_steps=100)(137)`",
        "lrdecay warm",
        "lrdecay warm",
        "<= 1.5 µs",
        w <= 1500,
    )
    row("optax `warmup_cosine_decay_schedule` eager", "optax warm", "lrdecay warm", "", None)
    row("tf.keras `CosineDecay(warmup_target=...)` eager", "tf warm", "lrdecay warm", "", None)

    header = ["call (Python int step 137)", "median", "ratio to lrdecay", "target", "status"]
    title = "One scalar call"
    c.print_table(title, header, rows)
    body = c.markdown_table(header, rows)
    body += (
        "\nRatios are the row's time divided by lrdecay's (peers: how many times slower "
        "than lrdecay; bare Python: how many times faster). The warmup + cosine is "
        "CosineDecay's built-in warmup; the composed `Warmup(CosineDecay)` is measured in "
        '"Composition" (benchmarks/bench_compose.py).\n'
    )
    if peers_missing:
        body += f"\nNot installed: {', '.join(peers_missing)}.\n"
    c.write_markdown("scalar", title, body)
    return body


if __name__ == "__main__":
    main()
    sys.exit(0)
