"""Which steps to show for a schedule, and the points that draw it faithfully.

Shared by the command line and the plots; numpy is imported inside the
functions so that ``import lrdecay`` stays light.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["MAX_STEPS", "MIN_DEFAULT_STEPS", "default_steps", "drawing_points"]

#: The fewest steps shown by default: 0..60, the seed documents' 60 steps and step 60.
MIN_DEFAULT_STEPS = 61
#: The most steps a command evaluates (10 million float64 values: 80 MB).
MAX_STEPS = 10_000_000
#: Up to this many steps a drawing also samples just before and after each step, so
#: jumps are drawn as vertical lines exactly where they happen.
_EXACT_JUMPS_UP_TO = 5_000
#: Drawings of longer runs use at most this many points.
_MAX_DRAWN_POINTS = 200_000


def default_steps(schedule: Any) -> int:
    """How many steps (0..N-1) the commands show when ``--steps`` is not given.

    ``N = max(61, ceil(1.1 * L))``, where ``L`` is the length the schedule declares
    (``schedule._length()``): for a plain schedule the sum of its configuration's
    ``*_steps`` numbers plus its last boundary (``warmup_steps + decay_steps``,
    ``total_steps``, ...); a composition adds up or takes the longest of its parts
    (a `Warmup` is its warmup plus its schedule, a `Join` its last boundary plus its
    last piece, a `TimeScale` its schedule's length in steps, a `Repeat` three periods).
    A tenth more shows what happens after the end.

    >>> import lrdecay
    >>> from lrdecay._steps import default_steps
    >>> default_steps(lrdecay.ExponentialDecay(0.6, 10, 0.6))
    61
    >>> default_steps(lrdecay.CosineDecay(0.1, decay_steps=900, warmup_target=1.0, warmup_steps=100))
    1100
    >>> default_steps(lrdecay.Warmup(lrdecay.CosineDecay(1.0, 900), 100))
    1100
    >>> default_steps(lrdecay.TimeScale(lrdecay.PiecewiseConstantDecay([30, 60], [0.1, 0.01, 0.001]), 100))
    6600
    """
    length: Any = schedule._length()
    if not _is_number(length) or length < 0:
        length = 0
    n: int = max(MIN_DEFAULT_STEPS, math.ceil(round(1.1 * length, 6)))
    return min(n, MAX_STEPS)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def drawing_points(schedule: Any, n: int) -> tuple[Any, Any, Any]:
    """``(x, y, integer_index)``: points that draw `schedule` over steps 0..n-1.

    For short runs, besides every step ``k`` the points include the floats just below
    and just above it, so a jump is drawn as a vertical line at the step where it
    happens, whichever side the schedule's interval is closed on (an exponential
    staircase changes value *at* a multiple of `decay_steps`, a piecewise constant
    just *after* a boundary). `integer_index` are the positions of the whole steps in
    `x` (for markers). ``y`` is the schedule at ``x``: its numpy call, the values of
    `lrdecay.evaluate` (through the schedule, so that this module needs no import of it).
    """
    import numpy as np

    steps = np.arange(n, dtype=np.float64)
    if n <= _EXACT_JUMPS_UP_TO:
        below = np.nextafter(steps, -np.inf)
        above = np.nextafter(steps, np.inf)
        x = np.stack([below, steps, above], axis=1).ravel()
        x = x[1:-1]  # no point below step 0 (negative) nor above the last step
        integer_index = np.arange(n) * 3
    elif n <= _MAX_DRAWN_POINTS:
        x = steps
        integer_index = np.arange(n)
    else:
        x = np.unique(np.round(np.linspace(0, n - 1, _MAX_DRAWN_POINTS)))
        integer_index = np.arange(x.size)
    return x, schedule(x), integer_index
