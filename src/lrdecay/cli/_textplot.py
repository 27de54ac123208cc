"""A plot drawn with characters, for ``lrdecay plot`` without ``-o``.

Each curve gets a marker; each column shows the range of values of the steps it
covers (joined to the previous column), so jumps and noise stay visible when many
steps share a column. Plain ASCII: it prints on any terminal and in any log.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MARKERS", "render"]

MARKERS = "*o+x#@%&"


def render(
    curves: list[tuple[str, Any]],
    values: list[Any],
    *,
    log: bool = False,
    width: int = 72,
    height: int = 20,
    title: str | None = None,
) -> str:
    """The text plot of ``values[i]`` (the value at steps 0..n-1) labelled ``curves[i][0]``."""
    import numpy as np

    n = int(values[0].size)
    cols = max(2, min(width, n))
    # Column c covers steps [edges[c], edges[c + 1]).
    edges = np.unique(np.round(np.linspace(0, n, cols + 1)).astype(np.int64))
    cols = edges.size - 1

    def transform(y: Any) -> Any:
        if not log:
            return y.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, np.log10(np.where(y > 0, y, 1.0)), np.nan)

    ts = [transform(np.asarray(v)) for v in values]
    finite = np.concatenate([t[np.isfinite(t)] for t in ts]) if ts else np.array([])
    if finite.size == 0:
        lo, hi = (0.0, 1.0)
    else:
        lo, hi = float(finite.min()), float(finite.max())
    if not log and lo >= 0:
        lo = 0.0  # a learning-rate axis from 0 shows proportions honestly
    if hi - lo <= abs(hi) * 1e-12 or hi == lo:
        pad = abs(hi) * 0.5 or 1.0
        lo, hi = lo - pad, hi + pad
        if not log and lo < 0 <= hi - pad:
            lo = 0.0

    def row(v: float) -> int:
        return round((v - lo) / (hi - lo) * (height - 1))

    grid = [[" "] * cols for _ in range(height)]
    for marker, t in zip(MARKERS, ts, strict=False):
        prev = None
        for c in range(cols):
            a, b = int(edges[c]), int(edges[c + 1])
            seg = t[a:b]
            seg = seg[np.isfinite(seg)]
            if seg.size == 0:
                prev = None
                continue
            r_lo, r_hi = row(float(seg.min())), row(float(seg.max()))
            if prev is not None:  # join to the previous column: a jump is one vertical line
                r_lo, r_hi = min(r_lo, prev), max(r_hi, prev)
            for r in range(r_lo, r_hi + 1):
                grid[height - 1 - r][c] = marker
            prev = row(float(seg[-1]))

    def fmt(v: float) -> str:
        if log:
            v = 10.0**v
        return "0" if v == 0 else f"{v:.4g}"

    labelled: dict[int, str] = {}
    for tick in _nice_ticks(lo, hi, whole=log):
        r = height - 1 - row(tick)
        if 0 <= r < height and all(abs(r - other) > 1 for other in labelled):
            labelled[r] = fmt(tick)
    if not labelled:
        labelled = {0: fmt(hi), height - 1: fmt(lo)}
    lw = max(len(s) for s in labelled.values())
    lines = []
    if title:
        lines.append(title)
    lines.append("learning rate" + (" (log scale)" if log else ""))
    for i, cells in enumerate(grid):
        label = labelled.get(i)
        lines.append(f"{label:>{lw}} +" if label is not None else " " * lw + " |")
        lines[-1] += "".join(cells).rstrip()
    # The x axis: ticks at the first, middle and last column, labelled by step.
    axis = ["-"] * cols
    ticks = sorted({0, (cols - 1) // 2, cols - 1})
    for c in ticks[1:]:
        axis[c] = "+"
    lines.append(" " * lw + " +" + "".join(axis))
    labels = [" "] * (cols + 12)
    for c in ticks:
        text = str(int(edges[c])) if c < cols - 1 else str(n - 1)
        start = max(0, min(c - len(text) // 2, cols + 12 - len(text)))
        if c == cols - 1:
            start = max(0, c - len(text) + 1)
        if all(ch == " " for ch in labels[max(0, start - 1) : start + len(text) + 1]):
            labels[start : start + len(text)] = text
    lines.append(" " * (lw + 2) + "".join(labels).rstrip())
    lines.append(" " * (lw + 2) + "step".center(cols).rstrip())
    for marker, (label, _) in zip(MARKERS, curves, strict=False):
        lines.append(f"  {marker} {label}")
    if log and any(bool(np.any(np.asarray(v) <= 0)) for v in values):
        lines.append("  (values <= 0 are not drawn on the log scale)")
    return "\n".join(lines)


def _nice_ticks(lo: float, hi: float, *, whole: bool = False) -> list[float]:
    """3 to 6 round values (1, 2 or 5 times a power of ten) between `lo` and `hi`;
    whole numbers only when `whole` (powers of ten on a log axis)."""
    import math

    span = hi - lo
    raw = span / 5
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, round(step))
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    k = 0
    while first + k * step <= hi + 1e-9 * span:
        ticks.append(round(first + k * step, 12))
        k += 1
    return ticks
