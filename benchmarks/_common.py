"""Shared helpers of the benchmark scripts: timers, the machine description, tables.

Every script times lrdecay and its peers in one process, back to back, with
``time.perf_counter_ns``; it reports medians, never minimums or means. Tiny calls are
timed timeit-style: a loop of ``number`` calls whose total is at least ~0.1 s
(found like ``timeit.Timer.autorange``), repeated, the median loop divided by
``number``.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "RESULTS",
    "ROOT",
    "bulk_ms",
    "call_ns",
    "fmt_time",
    "machine",
    "markdown_table",
    "print_table",
    "stmt_ns",
    "verdict",
    "write_markdown",
]

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

# Benchmarks of the working tree, not of an installed copy.
sys.path.insert(0, str(ROOT / "src"))

#: Seconds a timed loop of tiny calls should last (autorange's target is 0.2 s).
LOOP_SECONDS = float(os.environ.get("LRDECAY_BENCH_LOOP", "0.1"))
REPEATS = int(os.environ.get("LRDECAY_BENCH_REPEATS", "7"))


def _loop(fn: Callable[[], Any], number: int) -> int:
    it = range(number)
    t0 = time.perf_counter_ns()
    for _ in it:
        fn()
    return time.perf_counter_ns() - t0


def call_ns(fn: Callable[[], Any], repeats: int = REPEATS) -> float:
    """Median nanoseconds per call of a zero-argument `fn` (loop overhead subtracted)."""
    number = 1
    while True:
        if _loop(fn, number) >= LOOP_SECONDS * 1e9:
            break
        number *= 2 if number < 8 else 4
    empty = statistics.median(_loop(_noop, number) for _ in range(3))
    loops = [_loop(fn, number) for _ in range(repeats)]
    return max(statistics.median(loops) - empty, 0.0) / number


def _noop() -> None:
    return None


def stmt_ns(stmt: str, namespace: dict[str, Any], repeats: int = REPEATS) -> float:
    """Median nanoseconds of a statement compiled into a loop (no call overhead)."""
    src = (
        "def _bench(_n, _clock):\n"
        "    _it = range(_n)\n"
        "    _t0 = _clock()\n"
        "    for _ in _it:\n"
        f"        {stmt}\n"
        "    return _clock() - _t0\n"
    )
    ns = dict(namespace)
    exec(compile(src, "<bench>", "exec"), ns)
    bench = ns["_bench"]
    number = 1
    while bench(number, time.perf_counter_ns) < LOOP_SECONDS * 1e9:
        number *= 4
    exec(compile(src.replace(f"        {stmt}\n", "        pass\n"), "<bench>", "exec"), ns)
    empty = statistics.median(ns["_bench"](number, time.perf_counter_ns) for _ in range(3))
    loops = [bench(number, time.perf_counter_ns) for _ in range(repeats)]
    return max(statistics.median(loops) - empty, 0.0) / number


def bulk_ms(fn: Callable[[], Any], repeats: int = REPEATS, warmup: int = 1) -> float:
    """Median milliseconds of one call of `fn` (after `warmup` calls)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - t0)
    return statistics.median(times) / 1e6


def fmt_time(ns: float) -> str:
    """A duration in the unit that reads best."""
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.2f} s"


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """The CPU, cores and versions the numbers were measured with."""
    model = platform.processor() or platform.machine()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        fields = {k.strip(): v.strip() for k, _, v in (ln.partition(":") for ln in out.splitlines())}
        model = fields.get("Model name", model)
        l2 = fields.get("L2 cache", "?")
    except (OSError, subprocess.CalledProcessError):
        l2 = "?"
    tf = _version("tensorflow")
    if tf == "not installed":
        tf = _version("tensorflow-cpu")
    return {
        "cpu": f"{model} ({os.cpu_count()} cores, L2 {l2})",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "tensorflow": tf,
        "keras": _version("keras"),
        "jax": _version("jax"),
        "optax": _version("optax"),
        "torch": _version("torch"),
    }


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)))
    sys.stdout.flush()


def write_markdown(workload: str, title: str, body: str) -> Path:
    """Write ``benchmarks/results/<workload>.md`` (title, the table, the command)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{workload}.md"
    script = f"benchmarks/bench_{workload}.py"
    path.write_text(f"### {title}\n\n{body}\nCommand: `python {script}`\n", encoding="utf-8")
    return path


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")
