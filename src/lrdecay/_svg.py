"""A schedule's curve as a small inline SVG, for notebooks (`Schedule._repr_html_`).

No matplotlib: the curve is `lrdecay.evaluate` at the points the plots use
(``_steps.drawing_points``: jumps drawn at the step where they happen), scaled into a
fixed box and thinned to what the box can show: per pixel column the first, lowest,
highest and last point, so no peak or jump is lost. Phase markers (dashed) stand where
the configuration says a phase ends: ``warmup_steps`` and ``boundaries``.
"""

from __future__ import annotations

import html
import math
from typing import Any

__all__ = ["curve_svg", "repr_html"]

WIDTH, HEIGHT = 320, 110
#: The plotting box inside the picture (left, top, right, bottom), room left for labels.
BOX = (46.0, 8.0, 312.0, 88.0)
_STYLE = "font: 10px sans-serif; fill: #555"


def repr_html(schedule: Any) -> str:
    """The curve beside the schedule's repr, as an HTML fragment.

    >>> import lrdecay
    >>> from lrdecay._svg import repr_html
    >>> html = repr_html(lrdecay.ExponentialDecay(0.1, 10, 0.5))
    >>> html.startswith("<div") and "<svg" in html and "ExponentialDecay(initial_learning_rate=0.1" in html
    True
    """
    return (
        '<div style="display: flex; align-items: center; gap: 1em">'
        f'<div style="flex: none">{curve_svg(schedule)}</div>'
        f"<code>{html.escape(repr(schedule))}</code></div>"
    )


def curve_svg(schedule: Any, steps: int | None = None) -> str:
    """An SVG document drawing `schedule` over steps 0..steps-1 (default: `default_steps`).

    >>> import lrdecay, xml.etree.ElementTree as ET
    >>> from lrdecay._svg import curve_svg
    >>> svg = ET.fromstring(curve_svg(lrdecay.PiecewiseConstantDecay([10], [1.0, 0.5]), 21))
    >>> line = svg.find("{http://www.w3.org/2000/svg}polyline")
    >>> line.get("points")
    '46,8 179,8 179,48 312,48'

    The y axis runs from 0 (or the lowest rate, if one is negative) to the highest rate.
    """
    import numpy as np

    from lrdecay._steps import default_steps, drawing_points

    n = default_steps(schedule) if steps is None else steps
    x, y, _ = drawing_points(schedule, n)
    left, top, right, bottom = BOX
    last = max(n - 1, 1)
    finite = np.isfinite(y)
    low = min(0.0, float(y[finite].min())) if finite.any() else 0.0
    high = float(y[finite].max()) if finite.any() else 1.0
    if high <= low:
        high = low + 1.0
    px = left + (right - left) * x / last
    py = bottom - (bottom - top) * (np.where(finite, y, high) - low) / (high - low)
    keep = _thin(px, py)
    points = " ".join(f"{_num(a)},{_num(b)}" for a, b in _dedupe(px[keep], py[keep]))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img">',
        f"<title>{html.escape(type(schedule).__name__)} over steps 0..{n - 1}</title>",
        f'<rect x="{_num(left)}" y="{_num(top)}" width="{_num(right - left)}" '
        f'height="{_num(bottom - top)}" fill="none" stroke="#ddd"/>',
    ]
    for step in phase_steps(schedule):
        if 0 < step < n - 1:
            at = _num(left + (right - left) * step / last)
            parts.append(
                f'<line class="phase" x1="{at}" y1="{_num(top)}" x2="{at}" y2="{_num(bottom)}" '
                f'stroke="#999" stroke-dasharray="3,3"><title>step {step:g}</title></line>'
            )
    parts += [
        f'<polyline points="{points}" fill="none" stroke="#1f77b4" stroke-width="1.5" '
        'stroke-linejoin="round"/>',
        f'<text x="{_num(left - 4)}" y="{_num(top + 8)}" text-anchor="end" style="{_STYLE}">'
        f"{_label(high)}</text>",
        f'<text x="{_num(left - 4)}" y="{_num(bottom)}" text-anchor="end" style="{_STYLE}">'
        f"{_label(low)}</text>",
        f'<text x="{_num(left)}" y="{_num(bottom + 14)}" style="{_STYLE}">0</text>',
        f'<text x="{_num(right)}" y="{_num(bottom + 14)}" text-anchor="end" style="{_STYLE}">'
        f"step {n - 1}</text>",
        "</svg>",
    ]
    return "".join(parts)


def phase_steps(schedule: Any) -> list[float]:
    """Where the configuration says a phase ends: ``warmup_steps`` (if > 0) and every
    boundary, sorted.

    >>> import lrdecay
    >>> from lrdecay._svg import phase_steps
    >>> phase_steps(lrdecay.CosineDecay(0.1, 90, warmup_target=1.0, warmup_steps=10))
    [10]
    >>> phase_steps(lrdecay.PiecewiseConstantDecay([5, 20], [1.0, 0.5, 0.1]))
    [5, 20]
    """
    config = schedule.get_config()
    found = []
    warmup = config.get("warmup_steps")
    if _is_number(warmup) and warmup > 0:
        found.append(warmup)
    boundaries = config.get("boundaries")
    if isinstance(boundaries, list):
        found += [b for b in boundaries if _is_number(b)]
    return sorted(set(found))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _thin(px: Any, py: Any) -> Any:
    """Indices of the first, lowest, highest and last point of each pixel column, in order."""
    import numpy as np

    column = np.floor(px).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, column[1:] != column[:-1]])
    ends = np.r_[starts[1:], column.size]
    keep = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        part = py[a:b]
        keep += sorted({a, a + int(part.argmin()), a + int(part.argmax()), b - 1})
    return np.array(keep, dtype=np.int64)


def _dedupe(xs: Any, ys: Any) -> list[tuple[float, float]]:
    """The rounded points, without repeats and without the middle of a straight run."""
    out: list[tuple[float, float]] = []
    for a, b in zip(xs.tolist(), ys.tolist(), strict=True):
        p = (round(a, 2), round(b, 2))
        if out and out[-1] == p:
            continue
        # The middle of three points on one horizontal line, or between the other two on
        # one vertical line, adds nothing.
        if len(out) >= 2 and (
            out[-2][1] == out[-1][1] == p[1]
            or (
                out[-2][0] == out[-1][0] == p[0]
                and min(out[-2][1], p[1]) <= out[-1][1] <= max(out[-2][1], p[1])
            )
        ):
            out[-1] = p
        else:
            out.append(p)
    return out


def _num(value: float) -> str:
    return f"{round(value, 2):g}"


def _label(value: float) -> str:
    return f"{value:.3g}"
