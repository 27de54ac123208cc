"""optax's schedules (``optax.schedules``, 0.2.8), as lrdecay compositions.

>>> from lrdecay.presets.optax import warmup_cosine_decay_schedule
>>> s = warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=2, decay_steps=6, end_value=0.1)
>>> [round(s(k), 3) for k in range(8)]
[0.0, 0.5, 1.0, 0.868, 0.55, 0.232, 0.1, 0.1]
>>> s
Join(schedules=(Linear(start=0.0, end=1.0, steps=2), CosineDecay(initial_learning_rate=1.0, decay_steps=4, alpha=0.1)), boundaries=(2,))

Each function has optax's name, signature, defaults, quirks and errors, and returns an
lrdecay schedule, which optax takes wherever it takes a schedule (``optax.adam(s)``,
``optax.inject_hyperparams``), under ``jax.jit``, with int32 step counts (a count near
2**31 does not overflow). No optax or jax is imported here.

optax's conventions, kept (see docs/migration/optax.md): values are absolute (no base
lr), ``transition_steps <= 0`` (or ``decay_rate == 0``) gives a constant, a negative
``transition_begin`` counts as 0, `end_value` of an exponential decay is a floor when
``decay_rate < 1`` and a ceiling otherwise, negative values are allowed wherever optax
allows them, and a step on a boundary belongs to the later piece, which starts its own
clock there.

Values are computed in float64 for Python numbers and numpy arrays, and in the step's
own precision for jax (float32 unless x64 is on); optax computes in float32: the two
agree to float32 rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay.schedules.compose import Clip, Constant, Join, Linear, Power, Shift, Warmup, as_schedule
from lrdecay.schedules.cosine import CosineDecay
from lrdecay.schedules.exponential import ExponentialDecay
from lrdecay.schedules.polynomial import PolynomialDecay

__all__ = [
    "constant_schedule",
    "cosine_decay_schedule",
    "cosine_onecycle_schedule",
    "exponential_decay",
    "join_schedules",
    "linear_onecycle_schedule",
    "linear_schedule",
    "piecewise_constant_schedule",
    "piecewise_interpolate_schedule",
    "polynomial_schedule",
    "sgdr_schedule",
    "warmup_constant_schedule",
    "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule",
]


def _begin(schedule: Schedule, transition_begin: Any) -> Schedule:
    """`schedule` started at `transition_begin` (a negative one counts as 0, as in optax)."""
    begin = v.number("transition_begin", transition_begin)
    return Shift(schedule, begin) if begin > 0 else schedule


def _scaled(value: float, unit: Schedule) -> Schedule:
    return unit if value == 1 else value * unit


def constant_schedule(value: float) -> Schedule:
    """`value` at every step.

    >>> from lrdecay.presets.optax import constant_schedule
    >>> constant_schedule(5)(100)
    5.0
    """
    return Constant(v.number("value", value))


def polynomial_schedule(
    init_value: float, end_value: float, power: float, transition_steps: float, transition_begin: float = 0
) -> Schedule:
    """From `init_value` to `end_value` along ``(1 - t) ** power`` over `transition_steps`, then `end_value`.

    >>> from lrdecay.presets.optax import polynomial_schedule
    >>> s = polynomial_schedule(init_value=1.0, end_value=0.01, power=2, transition_steps=100, transition_begin=5)
    >>> [round(s(k), 4) for k in (0, 5, 6, 104, 105, 110)]
    [1.0, 1.0, 0.9803, 0.0101, 0.01, 0.01]

    Formula (optax): ``c = clip(step - transition_begin, 0, transition_steps)``,
    ``(init - end) * (1 - c / transition_steps) ** power + end``.
    ``transition_steps <= 0`` gives the constant `init_value`; so does ``power == 0``
    (optax's ``0 ** 0 == 1``).

    Raises:
        ValueError: ``power < 0`` (optax's values are infinite at the end), a
            non-finite number.
    """
    init, end = v.number("init_value", init_value), v.number("end_value", end_value)
    power = v.number("power", power, lower=0)
    steps = v.number("transition_steps", transition_steps)
    if steps <= 0 or power == 0:
        return Constant(init)
    if power == 1:
        curve: Schedule = Linear(init, end, steps)
    else:
        curve = _scaled(init - end, PolynomialDecay(1.0, steps, 0.0, power))
        curve = curve + end if end else curve
    return _begin(curve, transition_begin)


def linear_schedule(
    init_value: float, end_value: float, transition_steps: float, transition_begin: float = 0
) -> Schedule:
    """A straight line from `init_value` to `end_value` over `transition_steps`, after `transition_begin`.

    >>> from lrdecay.presets.optax import linear_schedule
    >>> s = linear_schedule(init_value=1.0, end_value=0.01, transition_steps=100)
    >>> s(0), s(50), s(100), s(10**9)
    (1.0, 0.505, 0.01, 0.01)
    """
    return polynomial_schedule(init_value, end_value, 1, transition_steps, transition_begin)


def _sorted_scales(name: str, boundaries_and_scales: Mapping[Any, Any] | None) -> list[tuple[Any, float]]:
    if not boundaries_and_scales:
        return []
    if not isinstance(boundaries_and_scales, Mapping):
        raise TypeError(
            "Argument `boundaries_and_scales` must be a dict {step: scale}. "
            f"Received: boundaries_and_scales={boundaries_and_scales!r}"
        )
    items = sorted(
        (v.number("boundaries_and_scales key", b), float(s)) for b, s in boundaries_and_scales.items()
    )
    if not all(scale >= 0.0 for _, scale in items):
        raise ValueError(f"`{name}` expects non-negative scale factors")
    return items


def piecewise_constant_schedule(
    init_value: float, boundaries_and_scales: Mapping[Any, float] | None = None
) -> Schedule:
    """`init_value` times every scale whose boundary the step has reached.

    >>> from lrdecay.presets.optax import piecewise_constant_schedule
    >>> s = piecewise_constant_schedule(1.0, {100: 0.1, 200: 0.01})
    >>> s(99), s(100), s(250)
    (1.0, 0.1, 0.001)

    A step equal to a boundary is already scaled (optax; TensorFlow's
    `PiecewiseConstantDecay` keeps the earlier value there).

    Raises:
        ValueError: a negative scale (optax's message).
    """
    value = float(v.number("init_value", init_value))
    items = _sorted_scales("piecewise_constant_schedule", boundaries_and_scales)
    values, bounds = [value], []
    for b, scale in items:
        value = value * scale
        if b <= 0:  # reached from step 0 on
            values[-1] = value
            continue
        values.append(value)
        bounds.append(b)
    if not bounds:
        return Constant(values[0])
    return Join([Constant(x) for x in values], bounds)


def _interpolate(kind: str, init_value: float, items: Sequence[tuple[Any, float]]) -> Schedule:
    if any(b < 0 for b, _ in items):
        raise ValueError(
            "Argument `boundaries_and_scales` must have boundaries >= 0. "
            f"Received: boundaries_and_scales={dict(items)!r}"
        )
    knots = [0] + [b for b, _ in items]
    values = [float(init_value)]
    for _, scale in items:
        values.append(values[-1] * scale)
    pieces: list[Schedule] = []
    for i in range(len(items)):
        size = max(knots[i + 1] - knots[i], 1)
        a, b = values[i], values[i + 1]
        # optax's cosine: b + (a - b) / 2 * (cos(pi t) + 1), i.e. a half cosine from a to b.
        pieces.append(Linear(a, b, size) if kind == "linear" else Warmup(b, size, start=a, shape="cosine"))
    if not pieces:
        return Constant(values[0])
    return Join([*pieces, Constant(values[-1])], knots[1:])


def piecewise_interpolate_schedule(
    interpolate_type: str, init_value: float, boundaries_and_scales: Mapping[Any, float] | None = None
) -> Schedule:
    """Linear or cosine interpolation between the accumulated values at the boundaries.

    >>> from lrdecay.presets.optax import piecewise_interpolate_schedule
    >>> s = piecewise_interpolate_schedule("linear", 1.0, {10: 0.5, 20: 0.5})
    >>> [s(k) for k in (0, 5, 10, 15, 20, 100)]
    [1.0, 0.75, 0.5, 0.375, 0.25, 0.25]

    Knots ``(0, init), (b1, init * s1), (b2, init * s1 * s2), ...``; between knots
    ``b_i`` and ``b_j`` the value moves from one to the next over ``max(b_j - b_i, 1)``
    steps, linearly or along half a cosine; from the last boundary on it holds.

    Raises:
        ValueError: an unknown `interpolate_type`, a negative scale (optax's
            messages), a negative boundary.
    """
    if interpolate_type not in ("linear", "cosine"):
        raise ValueError("`interpolate_type` must be either 'cosine' or 'linear'")
    init = v.number("init_value", init_value)
    return _interpolate(
        interpolate_type, init, _sorted_scales("piecewise_interpolate_schedule", boundaries_and_scales)
    )


def exponential_decay(
    init_value: float,
    transition_steps: float,
    decay_rate: float,
    transition_begin: float = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    """`init_value` times ``decay_rate ** ((step - transition_begin) / transition_steps)``.

    >>> from lrdecay.presets.optax import exponential_decay
    >>> s = exponential_decay(1.0, transition_steps=10, decay_rate=0.5, transition_begin=5, end_value=0.2)
    >>> [round(s(k), 6) for k in (0, 5, 15, 25, 1000)]
    [1.0, 1.0, 0.5, 0.25, 0.2]

    ``staircase=True`` floors the exponent. `end_value` bounds the decay: a floor when
    ``decay_rate < 1``, a ceiling otherwise. Without it the decay never stops.
    ``transition_steps <= 0`` or ``decay_rate == 0`` gives the constant `init_value`.

    Raises:
        ValueError: ``decay_rate < 0`` (optax's values are NaN), a non-finite number.
    """
    init = v.number("init_value", init_value)
    steps = v.number("transition_steps", transition_steps)
    rate = v.number("decay_rate", decay_rate, lower=0)
    staircase = v.boolean("staircase", staircase)
    if steps <= 0 or rate == 0:
        return Constant(init)
    if init >= 0:
        curve: Schedule = ExponentialDecay(init, steps, rate, staircase)
    else:
        curve = init * ExponentialDecay(1.0, steps, rate, staircase)
    curve = _begin(curve, transition_begin)
    if end_value is None:
        return curve
    end = v.number("end_value", end_value)
    return Clip(curve, minimum=end) if rate < 1.0 else Clip(curve, maximum=end)


def cosine_decay_schedule(
    init_value: float, decay_steps: float, alpha: float = 0.0, exponent: float = 1.0
) -> Schedule:
    """Half a cosine from `init_value` to ``alpha * init_value`` over `decay_steps`, then that.

    >>> from lrdecay.presets.optax import cosine_decay_schedule
    >>> s = cosine_decay_schedule(1.0, decay_steps=100, alpha=0.1)
    >>> s(0), round(s(50), 6), s(100), s(10**6)
    (1.0, 0.55, 0.1, 0.1)

    Formula (optax): ``init * ((1 - alpha) * ((1 + cos(pi * min(step, D) / D)) / 2) ** exponent + alpha)``;
    an `exponent` other than 1 is a `lrdecay.Power` of the cosine:

    >>> round(cosine_decay_schedule(1.0, decay_steps=100, exponent=2.0)(50), 6)
    0.25

    Raises:
        ValueError: ``decay_steps <= 0`` (optax's message), ``exponent < 0`` (optax
            gives inf at the end of the decay).
    """
    if not decay_steps > 0:
        raise ValueError(f"The cosine_decay_schedule requires positive decay_steps, got {decay_steps=}.")
    init = v.number("init_value", init_value)
    steps = v.number("decay_steps", decay_steps)
    alpha = v.number("alpha", alpha)
    e = v.number("exponent", exponent, lower=0)
    if e == 1 and init >= 0 and 0 <= alpha <= 1:
        return CosineDecay(init, steps, alpha)
    # A negative value, a floor outside [0, 1] or an exponent: the unit curve, scaled and shifted.
    unit: Schedule = CosineDecay(1.0, steps) if e == 1 else Power(CosineDecay(1.0, steps), e)
    curve = _scaled(init * (1 - alpha), unit)
    return curve + init * alpha if alpha else curve


def _onecycle_steps(transition_steps: Any) -> int | float:
    steps = v.number("transition_steps", transition_steps)
    if steps <= 0:
        # optax's message, for the cosine one-cycle too.
        raise ValueError("A linear onecycle schedule was set with a non-positive `transition_steps`")
    return steps


def linear_onecycle_schedule(
    transition_steps: float,
    peak_value: float,
    pct_start: float = 0.3,
    pct_final: float = 0.85,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    """optax's linear one-cycle: up to `peak_value`, back down to the start, then far below it.

    >>> from lrdecay.presets.optax import linear_onecycle_schedule
    >>> s = linear_onecycle_schedule(100, peak_value=1.0, div_factor=10.0, final_div_factor=100.0)
    >>> [round(s(k), 6) for k in (0, 30, 85, 100, 1000)]
    [0.1, 1.0, 0.1, 0.001, 0.001]

    Knots ``(0, peak / div), (int(pct_start T), peak), (int(pct_final T), peak / div),
    (T, peak / (div final_div))``, linear between them (three phases; torch's
    ``OneCycleLR`` has two by default).

    Raises:
        ValueError: ``transition_steps <= 0`` (optax's message).
    """
    steps = _onecycle_steps(transition_steps)
    peak = v.number("peak_value", peak_value)
    scales = {
        int(pct_start * steps): div_factor,
        int(pct_final * steps): 1.0 / div_factor,
        steps: 1.0 / final_div_factor,
    }
    return piecewise_interpolate_schedule("linear", peak / div_factor, scales)


def cosine_onecycle_schedule(
    transition_steps: float,
    peak_value: float,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    """optax's cosine one-cycle: half a cosine up to `peak_value`, half a cosine down far below the start.

    >>> from lrdecay.presets.optax import cosine_onecycle_schedule
    >>> s = cosine_onecycle_schedule(100, peak_value=1.0, div_factor=10.0, final_div_factor=100.0)
    >>> [round(s(k), 6) for k in (0, 15, 30, 100, 1000)]
    [0.1, 0.55, 1.0, 0.001, 0.001]

    Knots ``(0, peak / div), (int(pct_start T), peak), (T, peak / (div final_div))``.

    Raises:
        ValueError: ``transition_steps <= 0`` (optax's message).
    """
    steps = _onecycle_steps(transition_steps)
    peak = v.number("peak_value", peak_value)
    scales = {int(pct_start * steps): div_factor, int(steps): 1.0 / (div_factor * final_div_factor)}
    return piecewise_interpolate_schedule("cosine", peak / div_factor, scales)


def warmup_constant_schedule(init_value: float, peak_value: float, warmup_steps: float) -> Schedule:
    """A linear warmup from `init_value` to `peak_value`, then `peak_value`.

    >>> from lrdecay.presets.optax import warmup_constant_schedule
    >>> s = warmup_constant_schedule(0.0, 1.0, warmup_steps=4)
    >>> [s(k) for k in range(6)]
    [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    """
    return linear_schedule(init_value, peak_value, warmup_steps)


def _warmup_join(init_value: Any, peak_value: Any, warmup_steps: Any, after: Schedule) -> Schedule:
    w = v.number("warmup_steps", warmup_steps, lower=0)
    if w == 0:
        return after  # optax's join: the later schedule from step 0
    return Join([linear_schedule(init_value, peak_value, w), after], [w])


def warmup_cosine_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: float,
    decay_steps: float,
    end_value: float = 0.0,
    exponent: float = 1.0,
) -> Schedule:
    """A linear warmup to `peak_value`, then half a cosine to `end_value` at `decay_steps` (warmup included).

    >>> from lrdecay.presets.optax import warmup_cosine_decay_schedule
    >>> s = warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=10, decay_steps=110)
    >>> [round(s(k), 6) for k in (0, 5, 10, 60, 110, 10**6)]
    [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]

    `decay_steps` counts the warmup: the cosine lasts ``decay_steps - warmup_steps``
    steps (lrdecay's `CosineDecay` with ``warmup_steps`` adds the warmup instead).

    Raises:
        ValueError: ``decay_steps <= warmup_steps`` (optax's cosine message, with the
            length it got), a negative `warmup_steps`, ``exponent < 0``.
    """
    peak = v.number("peak_value", peak_value)
    alpha = 0.0 if peak == 0.0 else v.number("end_value", end_value) / peak
    after = cosine_decay_schedule(peak, decay_steps - warmup_steps, alpha, exponent)
    return _warmup_join(init_value, peak, warmup_steps, after)


def warmup_exponential_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: float,
    transition_steps: float,
    decay_rate: float,
    transition_begin: float = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    """A linear warmup to `peak_value`, then `exponential_decay` from it on its own clock.

    >>> from lrdecay.presets.optax import warmup_exponential_decay_schedule
    >>> s = warmup_exponential_decay_schedule(0.0, 1.0, 10, transition_steps=10, decay_rate=0.5)
    >>> [s(k) for k in (0, 5, 10, 20, 30)]
    [0.0, 0.5, 1.0, 0.5, 0.25]

    `transition_begin` counts from the end of the warmup.
    """
    after = exponential_decay(
        peak_value, transition_steps, decay_rate, transition_begin, staircase, end_value
    )
    return _warmup_join(init_value, peak_value, warmup_steps, after)


def sgdr_schedule(cosine_kwargs: Iterable[Mapping[str, Any]]) -> Schedule:
    """`warmup_cosine_decay_schedule` cycles one after another, each `decay_steps` long.

    >>> from lrdecay.presets.optax import sgdr_schedule
    >>> cycle = dict(init_value=0.0, peak_value=1.0, warmup_steps=10, decay_steps=100)
    >>> s = sgdr_schedule([cycle, cycle])
    >>> [round(s(k), 6) for k in (0, 10, 99, 100, 110, 200)]
    [0.0, 1.0, 0.000305, 0.0, 1.0, 0.0]

    Every cycle re-runs its own warmup from its `init_value`.
    """
    schedules, boundaries, step = [], [], 0
    for kwargs in cosine_kwargs:
        schedules.append(warmup_cosine_decay_schedule(**kwargs))
        step += kwargs["decay_steps"]
        boundaries.append(step)
    if not schedules:
        raise ValueError("Argument `cosine_kwargs` must hold at least one cycle. Received: cosine_kwargs=[]")
    return schedules[0] if len(schedules) == 1 else Join(schedules, boundaries[:-1])


def join_schedules(schedules: Sequence[Schedule | float], boundaries: Sequence[int]) -> Schedule:
    """The schedules one after another; each starts its own clock at its boundary.

    >>> from lrdecay.presets.optax import join_schedules, linear_schedule
    >>> s = join_schedules([linear_schedule(0.0, 1.0, 10), linear_schedule(1.0, 0.0, 90)], [10])
    >>> s(5), s(10), s(55)
    (0.5, 1.0, 0.5)

    Raises:
        TypeError: a schedule that is not an lrdecay schedule (or a number).
        ValueError: boundaries that decrease or are negative, lengths that do not match.
    """
    items = [as_schedule(f"schedules[{i}]", s) for i, s in enumerate(schedules)]
    return items[0] if len(items) == 1 and not list(boundaries) else Join(items, boundaries)
