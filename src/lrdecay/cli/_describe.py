"""``lrdecay describe``: the numbers and the phases of a curve, read off the values.

Nothing here knows the schedule classes: the phases (rises, falls, holds, jumps,
staircases, noise, cycles) and their shapes (linear, exponential, 1/t, inverse sqrt,
1-sqrt, cosine) are found in the values at steps 0..N-1, so a schedule added later, or
any composition, is described too. The phases are then named for what they are in a
training run: a first rise is the warmup, a hold at the peak the stable phase, the fall
after it the cooldown, a repeated pattern the cycles.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from typing import Any

__all__ = ["Phase", "Summary", "describe_text", "outline", "phase_names", "phases", "summarize"]

#: A difference between consecutive steps below this fraction of their values is
#: "no change" (float rounding in a constant stretch).
_FLAT = 1e-14
#: A shape fits when no step is further from it than this fraction of the phase's range.
_FIT = 1e-6
#: Noise: at least this many runs in a row, each a one-step jump or a short run
#: following no known shape, a third of them jumps (a smooth oscillation has none).
_NOISE_RUNS = 5
_NOISE_RUN_LENGTH = 50
_MAX_FITTED_RUNS = 2_000
_NO_SHAPE = ("ever faster", "ever more slowly", "slow-fast-slow (S-shaped)", "fast-slow-fast", "unevenly")


@dataclasses.dataclass(frozen=True)
class Phase:
    """Steps `start`..`end` (whole steps) where the curve does one thing."""

    kind: str  # "hold", "rise", "fall", "jump", "staircase", "noise", "cycles"
    start: int
    end: int
    first: float  # value at `start`
    last: float  # value at `end`
    shape: str = ""  # words for the shape, e.g. "linearly", "along a half cosine"
    detail: str = ""  # extra numbers, e.g. "x0.6 every 10 steps"


@dataclasses.dataclass(frozen=True)
class Summary:
    n: int
    start: float
    peak: float
    peak_step: int
    minimum: float
    minimum_step: int
    end: float
    below_1pct_step: int | None  # first step below 1% of the start value, or None
    total: float  # sum of the learning rate over the steps
    phases: tuple[Phase, ...]


def summarize(values: Any) -> Summary:
    """The numbers and phases of the curve ``values[k]`` (the value at step k)."""
    import numpy as np

    y = np.asarray(values, dtype=np.float64)
    if y.ndim != 1 or y.size == 0:
        raise ValueError("describe needs at least one step")
    start = float(y[0])
    below = None
    if start > 0:
        hits = np.flatnonzero(y < 0.01 * start)
        below = int(hits[0]) if hits.size else None
    return Summary(
        n=int(y.size),
        start=start,
        peak=float(y.max()),
        peak_step=int(y.argmax()),
        minimum=float(y.min()),
        minimum_step=int(y.argmin()),
        end=float(y[-1]),
        below_1pct_step=below,
        total=math.fsum(y.tolist()),
        phases=tuple(phases(y)),
    )


# -- phases ------------------------------------------------------------------------------


def phases(values: Any) -> list[Phase]:
    """Split the curve into phases: maximal monotone or constant runs, one-step jumps,
    staircases (holds separated by jumps) and noisy stretches."""
    import numpy as np

    y = np.asarray(values, dtype=np.float64)
    if y.size == 1:
        return [Phase("hold", 0, 0, float(y[0]), float(y[0]), detail="a single step")]
    d = np.diff(y)
    # "No change" relative to the values themselves, so tiny values still decay.
    scale = np.maximum(np.abs(y[:-1]), np.abs(y[1:]))
    direction = np.where(np.abs(d) <= _FLAT * scale, 0, np.sign(d)).astype(int)
    # Maximal runs of equal direction, as (direction, first step, last step).
    cuts = np.flatnonzero(np.diff(direction)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [direction.size]])
    runs = [(int(direction[a]), int(a), int(b)) for a, b in zip(starts, ends, strict=False)]

    # Each run becomes a phase; a monotone run of 2+ steps gets its shape.
    single: list[Phase] = []
    # With very many runs (a long noisy curve) short runs are not fitted: they are noise.
    fit_short = len(runs) <= _MAX_FITTED_RUNS
    for sign, a, b in runs:
        if sign == 0:
            single.append(Phase("hold", a, b, float(y[a]), float(y[b])))
        elif b - a == 1:
            single.append(Phase("jump", a, b, float(y[a]), float(y[b])))
        else:
            if fit_short or b - a > _NOISE_RUN_LENGTH:
                shape, detail = _shape(y[a : b + 1])
            else:
                shape, detail = "unevenly", ""
            kind = "rise" if sign > 0 else "fall"
            parts = _at_kink(y, a, b, shape, detail) if fit_short else [(a, b, shape, detail)]
            for lo, hi, part_shape, part_detail in parts:
                single.append(Phase(kind, lo, hi, float(y[lo]), float(y[hi]), part_shape, part_detail))

    # Noise: many short runs in a row that are jumps or follow no known shape.
    def irregular(p: Phase) -> bool:
        return p.kind == "jump" or (
            p.kind in ("rise", "fall") and p.end - p.start <= _NOISE_RUN_LENGTH and p.shape in _NO_SHAPE
        )

    out: list[Phase] = []
    i = 0
    while i < len(single):
        j = i
        while j < len(single) and irregular(single[j]):
            j += 1
        jumps = sum(p.kind == "jump" for p in single[i:j])
        if j - i >= _NOISE_RUNS and 3 * jumps >= j - i and jumps < j - i:
            out.append(_noise(y, single[i].start, single[j - 1].end, j - i))
            i = j
        else:
            out.append(single[i])
            i += 1
    return _cycles(_staircases(out))


def _at_kink(y: Any, a: int, b: int, shape: str, detail: str) -> list[tuple[int, int, str, str]]:
    """A monotone run that follows no one shape may be two that do, meeting at a kink
    (one-cycle's three phases, a fall into a slower fall): split it there. The kink is
    where the slope changes most (a line into a line), or where it is flattest inside
    the run (two cosines meeting)."""
    import numpy as np

    if shape not in _NO_SHAPE or b - a < 12:
        return [(a, b, shape, detail)]
    seg = y[a : b + 1]
    inner = np.arange(6, seg.size - 6)  # at least 6 steps on each side
    bend = np.abs(seg[inner + 1] - 2 * seg[inner] + seg[inner - 1])
    slope = np.abs(seg[inner + 1] - seg[inner - 1])
    cuts = [*inner[np.argsort(-bend, kind="stable")[:3]], *inner[np.argsort(slope, kind="stable")[:3]]]
    # The flattest step may be one off the junction: try each candidate's neighbours.
    tries = (int(c) + d for c in cuts for d in (0, -1, 1))
    for k in dict.fromkeys(k for k in tries if 6 <= k <= seg.size - 7):
        cut = a + k
        left, right = _shape(y[a : cut + 1]), _shape(y[cut : b + 1])
        if left[0] not in _NO_SHAPE and right[0] not in _NO_SHAPE:
            return [(a, cut, *left), (cut, b, *right)]
    return [(a, b, shape, detail)]


def _noise(y: Any, a: int, b: int, runs: int) -> Phase:
    seg = y[a : b + 1]
    return Phase(
        "noise",
        a,
        b,
        float(y[a]),
        float(y[b]),
        detail=f"changes direction {runs - 1} times, between {_num(seg.min())} and {_num(seg.max())}",
    )


def _staircases(ps: list[Phase]) -> list[Phase]:
    """Fold hold, jump, hold, jump, ... (three jumps or more, one direction) into one phase."""
    out: list[Phase] = []
    i = 0
    while i < len(ps):
        j = i
        jumps: list[Phase] = []
        # Pattern: [hold] jump hold jump hold ... ; a hold may be missing at the edges.
        k = i + 1 if ps[i].kind == "hold" else i
        while k < len(ps) and ps[k].kind == "jump":
            if jumps and (ps[k].last > ps[k].first) != (jumps[0].last > jumps[0].first):
                break
            jumps.append(ps[k])
            j = k + 1
            if k + 1 < len(ps) and ps[k + 1].kind == "hold":
                j = k + 2
                k += 2
            else:
                break
        if len(jumps) >= 3:
            out.append(_staircase(ps[i:j], jumps))
            i = j
        else:
            out.append(ps[i])
            i += 1
    return out


def _staircase(group: list[Phase], jumps: list[Phase]) -> Phase:
    levels = [jumps[0].first] + [p.last for p in jumps]
    at = [p.end for p in jumps]  # the first step with each new value
    ratios = [b / a for a, b in itertools.pairwise(levels) if a != 0]
    diffs = [b - a for a, b in itertools.pairwise(levels)]
    gaps = [b - a for a, b in itertools.pairwise(at)]
    down = levels[-1] < levels[0]
    how = []
    if len(ratios) == len(diffs) and _all_close(ratios):
        how.append(f"×{_num(ratios[0])} each")
    elif _all_close(diffs):
        how.append(f"by {_num(abs(diffs[0]))} each")
    if _all_close(gaps):
        how.append(f"every {gaps[0]} steps")
    if len(at) <= 8:
        where = "new value from step " + ", ".join(map(str, at))
        path = "→".join(_num(v) for v in levels)
    else:
        where = f"new value from step {at[0]}, {at[1]}, ..., {at[-1]}"
        path = f"{_num(levels[0])}→...→{_num(levels[-1])}"
    detail = f"{len(jumps)} steps {'down' if down else 'up'}" + (f", {', '.join(how)}" if how else "")
    return Phase(
        "staircase",
        group[0].start,
        group[-1].end,
        group[0].first,
        group[-1].last,
        shape=path,
        detail=f"{detail} ({where})",
    )


def _signature(p: Phase) -> str:
    if p.kind == "jump":
        return "jump up" if p.last > p.first else "jump down"
    return p.kind


def _cycles(ps: list[Phase]) -> list[Phase]:
    """Fold a pattern of 2 to 4 phases repeated at least twice (restarts, triangles,
    oscillations) into one phase; a last, cut-off repetition belongs to it too."""
    out: list[Phase] = []
    i = 0
    while i < len(ps):
        best: tuple[int, int] | None = None
        for period in (2, 3, 4):
            pattern = [_signature(p) for p in ps[i : i + period]]
            if len(pattern) < period or len(set(pattern)) < 2:
                continue
            k = i + period
            while k < len(ps) and _signature(ps[k]) == pattern[(k - i) % period]:
                k += 1
            if k - i >= 2 * period and (best is None or k > best[1]):
                best = (period, k)
        if best is None:
            out.append(ps[i])
            i += 1
        else:
            period, k = best
            out.append(_cycle(ps[i:k], period))
            i = k
    return out


def _cycle(group: list[Phase], period: int) -> Phase:
    cycles = [group[j : j + period] for j in range(0, len(group), period)]
    starts = [c[0].start for c in cycles]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # The curve ends inside the last cycle unless it ends in a hold (kept apart) ...
    cut = len(cycles[-1]) < period or cycles[-1][-1].kind != "hold"
    whole = cycles[:-1] if cut else cycles
    peaks = [max(max(p.first, p.last) for p in c) for c in whole]
    count = f"{len(cycles)} cycles" + (" (the last cut off)" if cut else "")
    each = ", then ".join(_phase_words(p) for p in cycles[0])
    if _all_close(gaps):
        when = f"one every {gaps[0]} steps"
    elif len(starts) <= 8:
        when = "starting at step " + ", ".join(map(str, starts))
    else:
        when = f"starting at step {starts[0]}, {starts[1]}, ..., {starts[-1]}"
    if _all_close(peaks):
        tops = f"peak {_num(peaks[0])} each"
    elif len(peaks) <= 8:
        tops = "peaks " + "→".join(_num(x) for x in peaks)
    else:
        tops = f"peaks {_num(peaks[0])}→...→{_num(peaks[-1])}"
    return Phase(
        "cycles",
        group[0].start,
        group[-1].end,
        group[0].first,
        group[-1].last,
        shape=each,
        detail=f"{count}; {when}; {tops}",
    )


def _phase_words(p: Phase) -> str:
    if p.kind == "rise":
        return f"rises {p.shape}"
    if p.kind == "fall":
        return f"falls {p.shape}"
    if p.kind == "jump":
        return "jumps up" if p.last > p.first else "drops"
    if p.kind == "staircase":
        return "steps " + ("down" if p.last < p.first else "up")
    return {"hold": "holds", "noise": "varies irregularly"}.get(p.kind, p.kind)


def _all_close(xs: Sequence[float]) -> bool:
    return bool(xs) and all(math.isclose(x, xs[0], rel_tol=1e-9, abs_tol=1e-15) for x in xs)


def _shape(seg: Any) -> tuple[str, str]:
    """Words for the shape of a monotone run (at least 3 points)."""
    import numpy as np

    m = seg.size - 1
    t = np.arange(seg.size, dtype=np.float64)
    span = float(seg.max() - seg.min())
    fits: list[tuple[float, str, str]] = []

    def residual(pred: Any) -> float:
        return float(np.max(np.abs(pred - seg))) / span

    coef, pred = _lstsq(t, seg)
    fits.append((residual(pred), "linearly", f"{_signed(coef[1])} per step"))
    if np.all(seg > 0):
        coef, pred = _lstsq(t, np.log(seg))
        ratio = math.exp(coef[1])
        life = math.log(2) / abs(coef[1]) if coef[1] else math.inf
        word = "halving" if ratio < 1 else "doubling"
        every = "step" if _num(life) == "1" else f"{_num(life)} steps"
        fits.append(
            (residual(np.exp(pred)), "exponentially", f"×{_num(ratio, 6)} per step, {word} every {every}")
        )
        coef, pred = _lstsq(t, 1.0 / seg)
        if np.all(pred > 0):
            fits.append((residual(1.0 / pred), "as 1/(a + b*step)", ""))
    # Square roots: a 1-sqrt cooldown (a + b*sqrt(step)), an inverse square root decay.
    coef, pred = _lstsq(np.sqrt(t), seg)
    fits.append((residual(pred), "as 1 - sqrt(step)" if coef[1] < 0 else "as sqrt(step)", ""))
    if np.all(seg > 0):
        coef, pred = _lstsq(t, seg**-2.0)
        if np.all(pred > 0):
            fits.append((residual(pred**-0.5), "as 1/sqrt(a + b*step)", ""))
    # A half cosine from the first point to the last; failing all of these, any arc of
    # a quarter to a half cosine period (as before a restart, or a cut-off cosine).
    _, pred = _lstsq(np.cos(np.pi * t / m), seg)
    fits.append((residual(pred), "along a half cosine", ""))
    best = min(fits, key=lambda f: f[0])
    if best[0] > _FIT and m >= 6:  # 4 parameters: fit only runs with more points
        best = min(best, (_cosine_arc(t, seg, m) / span, "along a cosine arc", ""), key=lambda f: f[0])
    if best[0] <= _FIT:
        return best[1], best[2]
    return _curvature(seg), ""


def _lstsq(basis: Any, seg: Any) -> tuple[Any, Any]:
    import numpy as np

    a = np.stack([np.ones_like(basis), basis], axis=1)
    coef = np.linalg.lstsq(a, seg, rcond=None)[0]
    return coef, a @ coef


def _cosine_arc(t: Any, seg: Any, m: int) -> float:
    """The smallest max-error of ``c + p*cos(w*t) + q*sin(w*t)`` for ``w = pi*u/m``,
    u in [1/2, 1]: any arc of a quarter to a half cosine period (a restart's period is
    rarely a whole number of steps, so `w` is searched, then refined)."""
    import numpy as np

    if t.size > 4001:  # a long run: fit a sample of it (an exact arc fits any sample)
        keep = np.unique(np.round(np.linspace(0, t.size - 1, 4001)).astype(np.int64))
        t, seg = t[keep], seg[keep]

    def fit(u: float) -> tuple[float, float]:
        w = np.pi * u / m
        a = np.stack([np.ones_like(t), np.cos(w * t), np.sin(w * t)], axis=1)
        coef = np.linalg.lstsq(a, seg, rcond=None)[0]
        err = a @ coef - seg
        return float(err @ err), float(np.max(np.abs(err)))

    grid = np.linspace(0.5, 1.0, 26)
    sse = [fit(u)[0] for u in grid]
    k = int(np.argmin(sse))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]
    golden = (math.sqrt(5) - 1) / 2
    for _ in range(40):  # golden-section search on the squared error
        u1, u2 = hi - golden * (hi - lo), lo + golden * (hi - lo)
        if fit(u1)[0] <= fit(u2)[0]:
            hi = u2
        else:
            lo = u1
    return min(fit((lo + hi) / 2)[1], fit(grid[k])[1])


def _curvature(seg: Any) -> str:
    import numpy as np

    if seg.size > 1001:  # second differences over wider (equal) gaps rise above rounding
        seg = seg[:: (seg.size - 1) // 1000]
    dd = np.diff(seg, 2)
    tol = max(_FLAT * float(np.max(np.abs(seg)) or 1.0), 1e-9 * float(np.max(np.abs(dd), initial=0.0)))
    signs = np.where(np.abs(dd) <= tol, 0, np.sign(dd))
    signs = signs[signs != 0]
    falling = seg[-1] < seg[0]
    if signs.size == 0:
        return "linearly"
    changes = int(np.count_nonzero(np.diff(signs)))
    if changes == 0:
        convex = signs[0] > 0
        return "ever more slowly" if convex == falling else "ever faster"
    if changes == 1:
        return "slow-fast-slow (S-shaped)" if (signs[0] < 0) == falling else "fast-slow-fast"
    return "unevenly"


# -- text --------------------------------------------------------------------------------


def _num(x: float, digits: int = 4) -> str:
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.{digits}g}"


def _signed(x: float) -> str:
    return ("+" if x >= 0 else "-") + _num(abs(x))


#: Short names of the shapes, for the outline line.
_TAGS = {
    "linearly": "linear",
    "exponentially": "exponential",
    "as 1/(a + b*step)": "1/t",
    "as 1/sqrt(a + b*step)": "inverse sqrt",
    "as 1 - sqrt(step)": "1-sqrt",
    "as sqrt(step)": "sqrt",
    "along a half cosine": "cosine",
    "along a cosine arc": "cosine arc",
}


def phase_names(ps: tuple[Phase, ...] | list[Phase], peak: float) -> list[str]:
    """What each phase is in a training run: warmup (a first rise that is followed by a
    fall), stable (constant at the peak), cooldown (the fall after the stable phase),
    decay (any other fall), cycles, jumps, drops, steps, holds, noise."""
    names: list[str] = []
    constant = len(ps) == 1 and ps[0].kind == "hold"
    for i, p in enumerate(ps):
        if p.kind == "hold":
            at_peak = math.isclose(p.first, peak, rel_tol=1e-12, abs_tol=1e-300)
            name = "stable" if at_peak and not constant else "hold"
        elif p.kind == "rise":
            later_fall = any(q.last < q.first or q.kind == "cycles" for q in ps[i + 1 :])
            name = "warmup" if i == 0 and later_fall else "rise"
        elif p.kind == "fall":
            name = "cooldown" if names and names[-1] == "stable" else "decay"
        elif p.kind == "jump":
            name = "jump" if p.last > p.first else "drop"
        else:
            name = {"staircase": "steps", "noise": "noisy"}.get(p.kind, p.kind)
        names.append(name)
    return names


def outline(ps: tuple[Phase, ...] | list[Phase], peak: float, limit: int = 8) -> str:
    """One line: ``warmup 0–100, stable 100–900, cooldown (1-sqrt) 900–1000, hold 1000–1099``."""
    items = []
    for name, p in zip(phase_names(ps, peak), ps, strict=True):
        tag = _TAGS.get(p.shape, "")
        if name == "warmup" and tag == "linear":
            tag = ""  # a warmup is linear unless said otherwise
        label = f"{name} ({tag})" if tag and p.kind in ("rise", "fall") else name
        if p.kind == "cycles":
            label = p.detail.split(" ", 2)[0] + " cycles"
        items.append(f"{label} {p.start}–{p.end}")
    if len(items) > limit:
        items = [*items[: limit - 1], f"... {len(items) - limit + 1} more"]
    return ", ".join(items)


def _phase_line(p: Phase, name: str) -> tuple[str, str, str]:
    span = f"{p.start}→{p.end}"
    values = f"{_num(p.first)}→{_num(p.last)}"
    if p.kind == "hold":
        return name, span, f"constant {_num(p.first)}" + (" (the peak)" if name == "stable" else "")
    if p.kind == "jump":
        verb = "jumps up" if p.last > p.first else "drops"
        return name, span, f"{verb} {values} (new value from step {p.end})"
    if p.kind == "rise":
        return name, span, _join(f"rises {p.shape} {values}", p.detail)
    if p.kind == "fall":
        return name, span, _join(f"falls {p.shape} {values}", p.detail)
    if p.kind == "staircase":
        return name, span, f"{p.shape}: {p.detail}"
    if p.kind == "cycles":
        count, rest = p.detail.split("; ", 1)
        return name, span, f"{count}, each {p.shape}; {rest}"
    return name, span, f"irregular {values}: {p.detail}"


def _join(text: str, detail: str) -> str:
    return f"{text} ({detail})" if detail else text


def describe_text(label: str, values: Any) -> str:
    """The report printed by ``lrdecay describe``."""
    s = summarize(values)
    last = s.n - 1
    if s.start > 0:
        below = f"step {s.below_1pct_step}" if s.below_1pct_step is not None else f"never in steps 0..{last}"
        below += f" (1% of start = {_num(0.01 * s.start, 6)})"
    else:
        below = "n/a (the start value is 0)"
    rows = [
        ("start", f"{_num(s.start, 6)}"),
        ("peak", f"{_num(s.peak, 6)} at step {s.peak_step}"),
        ("minimum", f"{_num(s.minimum, 6)} at step {s.minimum_step}"),
        ("end", f"{_num(s.end, 6)} at step {last}"),
        ("first < 1% of start", below),
        ("sum of the rate", f"{_num(s.total, 8)} over steps 0..{last}"),
        ("outline", outline(s.phases, s.peak)),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [label, f"steps 0..{last} ({s.n} steps)", ""]
    lines += [f"  {k:<{width}}  {v}" for k, v in rows]
    lines += ["", "phases:"]
    names = phase_names(s.phases, s.peak)
    table = [_phase_line(p, name) for p, name in zip(s.phases, names, strict=True)]
    shown = table if len(table) <= 16 else table[:15]
    w0 = max(len(r[0]) for r in shown)
    w1 = max(len(r[1]) for r in shown)
    lines += [f"  {a:<{w0}}  {b:<{w1}}  {c}" for a, b, c in shown]
    if len(table) > len(shown):
        lines.append(f"  ... {len(table) - len(shown)} more phases up to step {last}")
    return "\n".join(lines)
