"""Composition: schedules made of schedules.

`Constant` and `Linear` are the two simplest curves; `Warmup`, `Join`, `Shift`,
`Repeat` and `TimeScale` move and cut schedules along the step axis; `Sum`, `Product`
(also written ``s + t``, ``0.5 * s``), `Clip`, `Minimum` and `Maximum` combine their
values. Every combinator is a schedule like any other: frozen, hashable, registered,
its config its own arguments with nested schedules as nested configs, its `repr` a spec
that `lrdecay.parse` reads back, and it runs on Python numbers, numpy, torch, jax
(under ``jit``) and TensorFlow.

Wherever a schedule is expected a plain number may be given: it becomes `Constant`.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import OPERATORS, Schedule
from lrdecay._pieces import GeometricCycles, Piecewise, floor_div
from lrdecay._registry import register
from lrdecay._xp import NUMPY, SCALAR

__all__ = [
    "Clip",
    "Constant",
    "Join",
    "Linear",
    "Maximum",
    "Minimum",
    "Power",
    "Product",
    "Repeat",
    "Shift",
    "Sum",
    "TimeScale",
    "Warmup",
    "as_schedule",
    "cosine_lerp",
    "lerp",
]

_HALF_PI = 0.5 * math.pi


def as_schedule(arg: str, value: Any) -> Schedule:
    """`value` as a schedule: a `Schedule` as it is, a real number as `Constant`."""
    if isinstance(value, Schedule):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return Constant(v.number(arg, value))
    raise TypeError(
        f"Argument `{arg}` must be an lrdecay.Schedule or a number. "
        f"Received: {arg}={v.short(value)} of type {type(value).__name__}"
    )


def _schedules(arg: str, value: Any, least: int) -> tuple[Schedule, ...]:
    if isinstance(value, (str, bytes, Mapping, Schedule)) or not hasattr(value, "__iter__"):
        raise TypeError(
            f"Argument `{arg}` must be a list of schedules. "
            f"Received: {arg}={v.short(value)} of type {type(value).__name__}"
        )
    items = tuple(as_schedule(f"{arg}[{i}]", x) for i, x in enumerate(value))
    if len(items) < least:
        raise ValueError(
            f"Argument `{arg}` must hold at least {least} schedule(s). Received: {arg} of length {len(items)}"
        )
    return items


def _length_of(schedule: Schedule | float) -> float:
    """A part's length (`Schedule._length`); the constructors made every part a schedule."""
    return schedule._length() if isinstance(schedule, Schedule) else 0.0


def lerp(s: Any, start: float, end: float, steps: float, xp: Any, remaining: Any = None) -> Any:
    """The straight line from `start` at step 0 to `end` at `steps`, for ``0 <= s <= steps``.

    Measured from whichever end is nearer zero, so a line that starts or ends at 0 is
    exact to the last bits near that end (``start * ((steps - s) / steps)``, where
    ``start - start * (s / steps)`` would cancel), and monotone in `s`. `remaining`,
    when given, is ``steps - s`` computed more exactly by the caller (a phase whose
    ends are not integers, measured on the global clock as ``end_step - step``).
    """
    if abs(start) <= abs(end):
        return start + (end - start) * (s / steps)
    return end + (start - end) * ((steps - s if remaining is None else remaining) / steps)


def cosine_lerp(s: Any, start: float, end: float, steps: float, xp: Any, remaining: Any = None) -> Any:
    """Half a cosine from `start` at step 0 to `end` at `steps`, flat at both ends (``0 <= s <= steps``).

    ``start + (end - start) * (1 - cos(pi * s / steps)) / 2``, written as
    ``sin(pi/2 * x) ** 2`` of the progress measured from the end nearer zero (as in
    `lerp`; `remaining` likewise), so neither end cancels: ``(1 + cos(pi * x)) / 2``
    near ``x = 1`` would lose every digit of a cooldown's last steps.
    """
    if abs(start) <= abs(end):
        rise = xp.sin(_HALF_PI * (s / steps))
        return start + (end - start) * (rise * rise)
    fall = xp.sin(_HALF_PI * ((steps - s if remaining is None else remaining) / steps))
    return end + (start - end) * (fall * fall)


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Constant(Schedule):
    """The same value at every step.

    >>> from lrdecay import Constant
    >>> s = Constant(0.1)
    >>> s(0), s(10**9)
    (0.1, 0.1)
    >>> 2 * s  # numbers alone: the call form, since a spec's `*` needs a schedule
    Product(2, 0.1)

    Args:
        value: any finite number (negative values are allowed: schedules also drive
            hyperparameters other than learning rates).

    Raises:
        ValueError: a non-finite value.
        TypeError: a non-number.
    """

    value: float

    def __post_init__(self) -> None:
        value = v.number("value", self.value)
        self._set(value=value, _value=float(value))

    def _f(self, s: Any, xp: Any) -> Any:
        return self._value


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Linear(Schedule):
    """A straight line from `start` at step 0 to `end` at `steps`, then `end`.

    >>> from lrdecay import Linear
    >>> s = Linear(1.0, 0.0, steps=4)
    >>> [s(k) for k in range(6)]
    [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]

    Formula: ``start + (end - start) * min(step, steps) / steps``, computed from the end
    nearer zero (see `lerp`), exactly `start` at step 0 and `end` from `steps` on.

    Args:
        start: the value at step 0, finite.
        end: the value from `steps` on, finite.
        steps: length of the line, > 0.

    Raises:
        ValueError: ``steps <= 0``, a non-finite number.
        TypeError: a non-number.
    """

    start: float
    end: float
    steps: float

    def __post_init__(self) -> None:
        start = v.number("start", self.start)
        end = v.number("end", self.end)
        steps = v.number("steps", self.steps, lower=0, lower_op=">")
        a, b = float(start), float(end)
        self._set(
            start=start,
            end=end,
            steps=steps,
            _a=a,
            _b=b,
            # The far end of `lerp` is one rounding away from its target; fix it only
            # where it misses (most lines hit both ends exactly).
            _fix_start=lerp(0.0, a, b, steps, SCALAR) != a,
        )

    def _f(self, s: Any, xp: Any) -> Any:
        t = self.steps
        a, b = self._a, self._b
        if xp is SCALAR:
            if s >= t:
                return b
            return a if s <= 0 and self._fix_start else lerp(s, a, b, t, xp)
        value = lerp(xp.minimum(s, t), a, b, t, xp)
        if abs(a) <= abs(b):
            # Measured from `start`: at `steps` it reads a + (b - a), one rounding from b.
            value = xp.where(s >= t, b, value)
        elif self._fix_start:
            value = xp.where(s <= 0, a, value)
        return value

    def _length(self) -> float:
        return self.steps


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Warmup(Schedule):
    """`start` at step 0, rising to ``schedule(0)`` at `warmup_steps`, then `schedule` from its step 0.

    >>> from lrdecay import CosineDecay, Warmup
    >>> s = Warmup(CosineDecay(0.1, decay_steps=1000), warmup_steps=100)
    >>> [round(s(k), 6) for k in (0, 50, 100, 600, 1100, 5000)]
    [0.0, 0.05, 0.1, 0.05, 0.0, 0.0]
    >>> c = Warmup(0.1, 100, start=0.01, shape="cosine")  # a number is a Constant
    >>> round(c(50), 6), c(100)
    (0.055, 0.1)

    The warmup comes before the schedule: `schedule` starts at step `warmup_steps`,
    at its own step 0 (``Warmup(s, w)(w + k) == s(k)``), so the run is `warmup_steps`
    longer than `schedule`. For a warmup counted inside the schedule (BERT, TF Model
    Garden), use ``Join([Linear(start, s(w), w), s], [w], clock="global")``.

    Shapes: ``"linear"``, ``start + (peak - start) * step / warmup_steps``;
    ``"cosine"``, ``start + (peak - start) * sin(pi/2 * step / warmup_steps) ** 2``
    (half a cosine, flat at both ends), with ``peak = schedule(0)``.

    Args:
        schedule: the schedule after the warmup (a `Schedule` or a number).
        warmup_steps: length of the warmup, >= 0 (0: `schedule` itself).
        start: the value at step 0, finite.
        shape: ``"linear"`` or ``"cosine"``.

    Raises:
        ValueError: negative or non-finite `warmup_steps`, an unknown `shape`.
        TypeError: `schedule` neither a schedule nor a number.
    """

    summary = "A ramp from start to schedule(0) over warmup_steps, then schedule on its own clock (0 at the end of the warmup)."

    schedule: Schedule | float
    warmup_steps: float
    start: float = 0.0
    shape: str = "linear"

    def __post_init__(self) -> None:
        schedule = as_schedule("schedule", self.schedule)
        w = v.number("warmup_steps", self.warmup_steps, lower=0)
        start = v.number("start", self.start)
        shape = v.choice("shape", self.shape, ("linear", "cosine"))
        ramp = self._linear if shape == "linear" else self._cosine
        self._set(
            schedule=schedule,
            warmup_steps=w,
            start=start,
            shape=shape,
            _peak=schedule(0),
            _start=float(start),
            _inner=schedule._f,
            _ramp=ramp,
            _pieces=Piecewise((ramp, schedule._f), (w,), (0, w)),
        )

    def _linear(self, s: Any, xp: Any) -> Any:
        return lerp(s, self._start, self._peak, self.warmup_steps, xp)

    def _cosine(self, s: Any, xp: Any) -> Any:
        return cosine_lerp(s, self._start, self._peak, self.warmup_steps, xp)

    def _f(self, s: Any, xp: Any) -> Any:
        w = self.warmup_steps
        if xp is SCALAR:
            return self._inner(s - w, xp) if s >= w else self._ramp(s, xp)
        if not w:
            return self._inner(s, xp)
        return self._pieces(s, xp)

    def _length(self) -> float:
        return self.warmup_steps + _length_of(self.schedule)


_CLOCKS = ("local", "global")


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Join(Schedule):
    """Schedules one after another: piece ``i`` runs on ``[boundaries[i-1], boundaries[i])``.

    >>> from lrdecay import CosineDecay, Join, Linear
    >>> s = Join([Linear(0.0, 0.1, 10), CosineDecay(0.1, 90)], boundaries=[10])
    >>> [round(s(k), 6) for k in (0, 5, 9, 10, 55, 100)]
    [0.0, 0.05, 0.09, 0.1, 0.05, 0.0]
    >>> g = Join([0.1, CosineDecay(0.1, 100)], [10], clock="global")
    >>> round(g(55), 6)  # the cosine at its step 55, not 45
    0.042178

    A step equal to a boundary belongs to the later piece (optax `join_schedules`,
    torch `SequentialLR`, Hugging Face). With ``clock="local"`` (the default) each
    piece has its own clock, 0 at its boundary: piece ``i`` is evaluated at
    ``step - boundaries[i-1]``. With ``clock="global"`` every piece sees the global
    step (BERT, TF Model Garden: a warmup counted inside the decay).

    Args:
        schedules: two or more schedules (numbers become `Constant`).
        boundaries: non-decreasing finite numbers >= 0, one fewer than `schedules`.
        clock: ``"local"`` or ``"global"``.

    Raises:
        ValueError: fewer than two schedules, lengths that do not match, decreasing or
            negative boundaries, an unknown `clock`.
        TypeError: a piece that is neither a schedule nor a number.
    """

    schedules: Sequence[Schedule | float]
    boundaries: Sequence[float]
    clock: str = "local"

    def __post_init__(self) -> None:
        schedules = _schedules("schedules", self.schedules, 2)
        boundaries = v.numbers_tuple("boundaries", self.boundaries, lower=0)
        clock = v.choice("clock", self.clock, _CLOCKS)
        if len(boundaries) != len(schedules) - 1:
            raise ValueError(
                "Argument `boundaries` must have one entry fewer than `schedules`. "
                f"Received: boundaries={v.short(list(boundaries))} of length {len(boundaries)} "
                f"for {len(schedules)} schedules"
            )
        v.non_decreasing("boundaries", boundaries)
        offsets = (0,) + (boundaries if clock == "local" else (0,) * len(boundaries))
        pieces = Piecewise(tuple(x._f for x in schedules), boundaries, offsets)
        # The formula is the Piecewise itself: stored over the method, it saves one Python
        # call per scalar step (measured: a Join of a line and a cosine went from 1.7x to
        # 1.4-1.5x a plain CosineDecay call, benchmarks/bench_compose.py).
        self._set(schedules=schedules, boundaries=boundaries, clock=clock, _pieces=pieces)
        self._set_formula(Join, pieces)

    def _f(self, s: Any, xp: Any) -> Any:  # replaced per instance by `_pieces` (see above)
        return self._pieces(s, xp)

    def _length(self) -> float:
        last = _length_of(self.schedules[-1])
        # On the global clock the last piece's length is counted from step 0.
        return self.boundaries[-1] + last if self.clock == "local" else max(self.boundaries[-1], last)


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Shift(Schedule):
    """The schedule started `steps` later, holding its step-0 value before.

    >>> from lrdecay import Linear, Shift
    >>> s = Shift(Linear(1.0, 0.0, 10), steps=100)
    >>> s(0), s(100), s(105)
    (1.0, 1.0, 0.5)

    Formula: ``schedule(max(step - steps, 0))``.

    Args:
        schedule: a schedule or a number.
        steps: the delay, >= 0.

    Raises:
        ValueError: negative or non-finite `steps`.
        TypeError: `schedule` neither a schedule nor a number.
    """

    schedule: Schedule | float
    steps: float

    def __post_init__(self) -> None:
        schedule = as_schedule("schedule", self.schedule)
        self._set(schedule=schedule, steps=v.number("steps", self.steps, lower=0), _inner=schedule._f)

    def _f(self, s: Any, xp: Any) -> Any:
        return self._inner(xp.maximum(s - self.steps, 0.0), xp)

    def _length(self) -> float:
        return self.steps + _length_of(self.schedule)


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Repeat(Schedule):
    """The schedule restarted every `period` steps, each cycle optionally longer and lower.

    >>> from lrdecay import CosineDecay, Linear, Repeat
    >>> s = Repeat(Linear(1.0, 0.0, 4), period=4)
    >>> [s(k) for k in range(9)]
    [1.0, 0.75, 0.5, 0.25, 1.0, 0.75, 0.5, 0.25, 1.0]
    >>> sgdr = Repeat(CosineDecay(1.0, 10), 10, period_mul=2, decay=0.5)  # cycles of 10, 20, 40
    >>> [sgdr(k) for k in (0, 10, 20, 30, 70)]
    [1.0, 0.5, 0.25, 0.25, 0.125]

    Formula: cycle ``i`` lasts ``period * period_mul**i`` steps; a step ``local`` steps
    into it gives ``decay**i * schedule(local / period_mul**i)``: each cycle shows the
    whole first-period curve, stretched. With ``period_mul == 1`` that is
    ``decay**i * schedule(step mod period)``, the remainder exact for integer steps below
    2**53 (a step on a multiple of `period` restarts); with ``period_mul > 1`` every
    restart lands exactly on its step too (`lrdecay.CosineDecayRestarts`' index).

    Args:
        schedule: a schedule or a number; it is seen on ``[0, period)``.
        period: the first cycle's length, > 0.
        period_mul: each cycle's length over the previous one's, >= 1.
        decay: each cycle's values over the previous one's, >= 0.

    Raises:
        ValueError: ``period <= 0``, ``period_mul < 1``, ``decay < 0``, a non-finite number.
        TypeError: `schedule` neither a schedule nor a number.
    """

    schedule: Schedule | float
    period: float
    period_mul: float = 1.0
    decay: float = 1.0

    def __post_init__(self) -> None:
        schedule = as_schedule("schedule", self.schedule)
        period = v.number("period", self.period, lower=0, lower_op=">")
        mul = v.number("period_mul", self.period_mul, lower=1)
        self._set(
            schedule=schedule,
            period=period,
            period_mul=mul,
            decay=v.number("decay", self.decay, lower=0),
            _inner=schedule._f,
            _cycles=GeometricCycles(period, mul) if mul != 1 else None,
        )

    def _f(self, s: Any, xp: Any) -> Any:
        p = self.period
        if self._cycles is not None:
            i, local, length, _ = self._cycles.locate(s, xp)
            # local / length is the fraction of cycle i done; p times it, the first cycle's step.
            value = self._inner(p * (local / length), xp)
            return value if self.decay == 1 else self.decay**i * value
        if xp is SCALAR:
            value = self._inner(s % p, xp)  # Python's % is exact
            return value if self.decay == 1 else self.decay ** (s // p) * value
        if xp is NUMPY:
            # fmod is exact too (steps are >= 0, so it is the remainder); s - q * p is
            # not once q * p needs more than 53 bits (period 0.375 at step 1.2e15 gave
            # 0.0 where the remainder is 0.25: tests/test_properties.py).
            import numpy as np

            value = self._inner(np.fmod(s, p), xp)
            return value if self.decay == 1 else self.decay ** floor_div(s, p, xp) * value
        i = floor_div(s, p, xp)
        value = self._inner(s - i * p, xp)
        return value if self.decay == 1 else self.decay**i * value

    def _length(self) -> float:
        m = self.period_mul
        return self.period * (1 + m + m * m)  # enough cycles to see it repeat


@register
@dataclasses.dataclass(frozen=True, repr=False)
class TimeScale(Schedule):
    """A schedule written in other units (epochs, thousands of tokens, fractions of the run).

    >>> from lrdecay import ExponentialDecay, TimeScale
    >>> per_epoch = ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)  # halves every epoch
    >>> s = TimeScale(per_epoch, steps_per_unit=1000)
    >>> round(s(500), 6), s(1000)
    (0.070711, 0.05)
    >>> TimeScale(per_epoch, 1000, discrete=True)(1999)  # stepped once per epoch
    0.05

    Formula: ``schedule(u ** power)`` with ``u = step / steps_per_unit``, or
    ``u = floor(step / steps_per_unit)`` with ``discrete=True`` (the floor exact for
    integers below 2**53), as a torch scheduler stepped once per epoch sees it.

    A `power` other than 1 warps the clock: ``TimeScale(CosineDecay(1.0, 1.0), T,
    power=k)`` is k-decay's cosine (Zhang et al., 2020; timm's `k_decay`),
    ``(1 + cos(pi * (t / T)**k)) / 2``; for k > 1 the rate stays high longer and falls
    later:

    >>> from lrdecay import CosineDecay
    >>> round(TimeScale(CosineDecay(1.0, 1.0), 100, power=2)(50), 6)  # cos(pi / 4), not cos(pi / 2)
    0.853553

    Fractions of the run: write the schedule on ``[0, 1]`` and give the run's length as
    `steps_per_unit`; ``TimeScale(Warmup(CosineDecay(1.0, 0.9), 0.1), total_steps)``
    warms up for the first 10% of ``total_steps`` and decays over the rest.

    Args:
        schedule: a schedule or a number.
        steps_per_unit: steps in one unit of `schedule`'s clock, > 0.
        discrete: evaluate `schedule` at whole units only.
        power: the exponent of the clock, > 0.

    Raises:
        ValueError: ``steps_per_unit <= 0``, ``power <= 0``, a non-finite number.
        TypeError: `schedule` neither a schedule nor a number, `discrete` not a bool.
    """

    schedule: Schedule | float
    steps_per_unit: float
    discrete: bool = False
    power: float = 1.0

    def __post_init__(self) -> None:
        schedule = as_schedule("schedule", self.schedule)
        self._set(
            schedule=schedule,
            steps_per_unit=v.number("steps_per_unit", self.steps_per_unit, lower=0, lower_op=">"),
            discrete=v.boolean("discrete", self.discrete),
            power=v.number("power", self.power, lower=0, lower_op=">"),
            _inner=schedule._f,
        )

    def _f(self, s: Any, xp: Any) -> Any:
        d = self.steps_per_unit
        if not self.discrete:
            u = s / d
        elif xp is SCALAR:
            u = float(s // d)  # Python's // is exact
        else:
            u = floor_div(s, d, xp)
        return self._inner(u if self.power == 1 else u**self.power, xp)

    def _length(self) -> float:
        length = _length_of(self.schedule)
        return self.steps_per_unit * (length if self.power == 1 else length ** (1.0 / self.power))


@dataclasses.dataclass(frozen=True, repr=False, init=False)
class _Nary(Schedule):
    """A combination of two or more schedules, written ``Cls(a, b, ...)`` or ``Cls([a, b, ...])``."""

    schedules: tuple[Schedule, ...]

    @staticmethod
    def _combine(a: Any, b: Any, xp: Any) -> Any:  # pragma: no cover - each subclass has one
        raise NotImplementedError

    def _f(self, s: Any, xp: Any) -> Any:
        # The values folded left to right with the subclass's operation.
        fs, combine = self._fs, self._combine
        out = fs[0](s, xp)
        for f in fs[1:]:
            out = combine(out, f(s, xp), xp)
        return out

    def __init__(self, *schedules: Any) -> None:
        if len(schedules) == 1 and isinstance(schedules[0], (list, tuple)):
            schedules = tuple(schedules[0])
        items = _schedules("schedules", schedules, 2)
        # Nested combinations of the same kind are flattened: one call per chunk fewer,
        # and ``a + b + c`` is one Sum whatever its brackets were.
        flat: list[Schedule] = []
        for item in items:
            flat.extend(item.schedules if type(item) is type(self) else (item,))
        object.__setattr__(self, "schedules", tuple(flat))
        object.__setattr__(self, "_fs", tuple(x._f for x in flat))
        folded = _fold_two(self)
        if folded is not None:
            object.__setattr__(self, "_f", folded)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> Schedule:
        return cls(fields["schedules"])

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Schedule:
        if not isinstance(config, Mapping):
            raise TypeError(
                f"{cls.__name__}.from_config expects a dict. "
                f"Received: config={v.short(config)} of type {type(config).__name__}"
            )
        if set(config) != {"schedules"}:
            raise ValueError(
                f"{cls.__name__}.from_config expects exactly the key 'schedules'. Received keys: {v.short(sorted(map(str, config)))}"
            )
        from lrdecay._registry import revive

        items = config["schedules"]
        if not isinstance(items, (list, tuple)):
            raise TypeError(
                f"Argument `schedules` of {cls.__name__} must be a list. "
                f"Received: schedules={v.short(items)} of type {type(items).__name__}"
            )
        return cls([revive(x) for x in items])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(_operand(x) for x in self.schedules)})"

    def _length(self) -> float:
        return max(_length_of(x) for x in self.schedules)


def affine(schedule: Schedule) -> tuple[float | None, float | None, Schedule]:
    """``(a, b, shape)``: `schedule` is ``a + b * shape``, the numbers of a sum or product of two peeled off.

    `a` or `b` is None where there is none (``schedule`` itself is the shape when
    neither is). ``a + b * shape(step)`` is the schedule's own value to the bit: these
    are the operations its fold does, and + and * commute exactly. Used to make a sum or
    product one function call (`_fold_two`) and by the torch adapter to evaluate a
    shape shared by several param groups once.
    """
    a = b = None
    if type(schedule) is Sum and len(schedule.schedules) == 2:
        p, q = schedule.schedules
        if type(p) is Constant and type(q) is not Constant:
            a, schedule = p._value, q
        elif type(q) is Constant and type(p) is not Constant:
            a, schedule = q._value, p
    if type(schedule) is Product and len(schedule.schedules) == 2:
        p, q = schedule.schedules
        if type(p) is Constant and type(q) is not Constant:
            b, schedule = p._value, q
        elif type(q) is Constant and type(p) is not Constant:
            b, schedule = q._value, p
    return a, b, schedule


def _fold_two(node: _Nary) -> Any:
    """A sum or product of two as one function, stored over `_Nary._f`; None otherwise.

    Why: ``base + amplitude * shape`` is how most presets and phases are written, and
    the generic fold costs three Python calls per operand pair (the loop, the
    operand's ``_f``, ``_combine``). Its numbers are read once here (`affine`), and
    ``a + b * shape`` is one call, the same to the bit.
    """
    if len(node.schedules) != 2 or (type(node) is not Sum and type(node) is not Product):
        return None
    a, b, shape = affine(node)
    if shape is node:  # two schedules (or two numbers): nothing to peel
        f, g = node._fs
        if type(node) is Sum:
            return lambda s, xp: f(s, xp) + g(s, xp)
        return lambda s, xp: f(s, xp) * g(s, xp)
    h = shape._f
    if a is None:
        return lambda s, xp: b * h(s, xp)
    if b is None:
        return lambda s, xp: a + h(s, xp)
    return lambda s, xp: a + b * h(s, xp)


def _leading_numbers(s: _Nary) -> bool:
    # `0.5 * 0.2 * s` starts with arithmetic between numbers, which a spec refuses:
    # such a combination is written as a call, ``Product(0.5, 0.2, s)``, so its repr parses.
    return type(s.schedules[0]) is Constant and type(s.schedules[1]) is Constant


def _operand(s: Schedule) -> str:
    return repr(s.value) if type(s) is Constant else repr(s)


@register
@dataclasses.dataclass(frozen=True, repr=False, init=False)
class Sum(_Nary):
    """The sum of schedules, also written ``s + t`` or ``s + 0.1``, and ``s - t``.

    >>> from lrdecay import CosineDecay, Sum
    >>> s = CosineDecay(0.9, decay_steps=100) + 0.1
    >>> s
    CosineDecay(initial_learning_rate=0.9, decay_steps=100) + 0.1
    >>> s(0), s(100), s == Sum(CosineDecay(0.9, 100), 0.1)
    (1.0, 0.1, True)
    >>> momentum = 0.95 - 0.1 * CosineDecay(1.0, 100)  # a difference is the sum with the negation
    >>> momentum
    0.95 + -0.1 * CosineDecay(initial_learning_rate=1.0, decay_steps=100)
    >>> round(momentum(0), 6), round(momentum(100), 6)
    (0.85, 0.95)

    Terms are added left to right; nested sums are flattened into one. ``s - t`` is
    ``s + (-t)``, the same number in floating point; ``-t`` puts the sign into a leading
    number of `t` (``-(0.1 * c)`` is ``-0.1 * c``), else it is ``-1.0 * t``.

    Raises:
        ValueError: fewer than two terms, a non-finite number.
        TypeError: a term that is neither a schedule nor a number.
    """

    @staticmethod
    def _combine(a: Any, b: Any, xp: Any) -> Any:
        return a + b

    def __repr__(self) -> str:
        if _leading_numbers(self):
            return _Nary.__repr__(self)
        return " + ".join(_operand(x) for x in self.schedules)


@register
@dataclasses.dataclass(frozen=True, repr=False, init=False)
class Product(_Nary):
    """The product of schedules, also written ``s * t``, ``0.5 * s`` or ``s * 0.5``.

    >>> from lrdecay import CosineDecay, Linear, Product
    >>> s = 0.1 * CosineDecay(1.0, decay_steps=100)
    >>> s
    0.1 * CosineDecay(initial_learning_rate=1.0, decay_steps=100)
    >>> s(50), s == Product(0.1, CosineDecay(1.0, 100))
    (0.05, True)
    >>> ramp_times_decay = Linear(0.0, 1.0, 10) * CosineDecay(1.0, 100)
    >>> round(ramp_times_decay(5), 6)
    0.496922

    Factors are multiplied left to right; nested products are flattened into one.
    A product of schedules of relative factors and a base rate is how torch's
    "chainable" schedulers compose.

    Raises:
        ValueError: fewer than two factors, a non-finite number.
        TypeError: a factor that is neither a schedule nor a number.
    """

    @staticmethod
    def _combine(a: Any, b: Any, xp: Any) -> Any:
        return a * b

    def __repr__(self) -> str:
        if _leading_numbers(self):
            return _Nary.__repr__(self)
        return " * ".join(f"({x!r})" if type(x) is Sum else _operand(x) for x in self.schedules)


@register
@dataclasses.dataclass(frozen=True, repr=False, init=False)
class Minimum(_Nary):
    """The smallest of the schedules' values at each step.

    >>> from lrdecay import InverseTimeDecay, Linear, Minimum
    >>> s = Minimum(Linear(0.0, 1.0, 100), InverseTimeDecay(1.0, 10, 1.0))
    >>> [round(s(k), 4) for k in (5, 20, 50)]
    [0.05, 0.2, 0.1667]

    Raises:
        ValueError: fewer than two schedules, a non-finite number.
        TypeError: an argument that is neither a schedule nor a number.
    """

    @staticmethod
    def _combine(a: Any, b: Any, xp: Any) -> Any:
        return xp.minimum(a, b)


@register
@dataclasses.dataclass(frozen=True, repr=False, init=False)
class Maximum(_Nary):
    """The largest of the schedules' values at each step.

    >>> from lrdecay import CosineDecay, Maximum
    >>> s = Maximum(CosineDecay(1.0, decay_steps=100), 0.1)
    >>> s(0), s(100)
    (1.0, 0.1)

    Raises:
        ValueError: fewer than two schedules, a non-finite number.
        TypeError: an argument that is neither a schedule nor a number.
    """

    @staticmethod
    def _combine(a: Any, b: Any, xp: Any) -> Any:
        return xp.maximum(a, b)


OPERATORS.update(Sum=Sum, Product=Product, Constant=Constant)


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Clip(Schedule):
    """The schedule's values kept within ``[minimum, maximum]``.

    >>> from lrdecay import Clip, ExponentialDecay
    >>> s = Clip(ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5), minimum=0.1)
    >>> s(1), s(10)
    (0.5, 0.1)

    Args:
        schedule: a schedule or a number.
        minimum: the floor, or None for none.
        maximum: the ceiling, or None for none; ``>= minimum``.

    Raises:
        ValueError: neither bound given, ``minimum > maximum``, a non-finite bound.
        TypeError: `schedule` neither a schedule nor a number, a bound not a number.
    """

    schedule: Schedule | float
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        lo = None if self.minimum is None else v.number("minimum", self.minimum)
        hi = None if self.maximum is None else v.number("maximum", self.maximum)
        if lo is None and hi is None:
            raise ValueError("Clip needs `minimum`, `maximum` or both. Received: minimum=None, maximum=None")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(
                f"Argument `minimum` must be <= `maximum`. Received: minimum={lo!r}, maximum={hi!r}"
            )
        schedule = as_schedule("schedule", self.schedule)
        self._set(
            schedule=schedule,
            minimum=lo,
            maximum=hi,
            _inner=schedule._f,
            _lo=None if lo is None else float(lo),
            _hi=None if hi is None else float(hi),
        )

    def _f(self, s: Any, xp: Any) -> Any:
        out = self._inner(s, xp)
        if self._lo is not None:
            out = xp.maximum(out, self._lo)
        if self._hi is not None:
            out = xp.minimum(out, self._hi)
        return out

    def _length(self) -> float:
        return _length_of(self.schedule)


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Power(Schedule):
    """The schedule's values raised to `exponent`.

    >>> from lrdecay import CosineDecay, Power
    >>> s = Power(CosineDecay(1.0, decay_steps=100), exponent=2)
    >>> s(0), round(s(50), 6), s(100)
    (1.0, 0.25, 0.0)

    A curve's shape sharpened (``exponent > 1``: it falls sooner) or softened
    (``exponent < 1``): optax's ``cosine_decay_schedule(..., exponent=e)`` is
    ``init * ((1 - alpha) * Power(CosineDecay(1.0, D), e) + alpha)``.

    Formula: ``schedule(step) ** exponent``. The values must be >= 0 unless
    `exponent` is an integer: a negative value raises ValueError on Python numbers and
    numpy arrays (a framework tensor gives NaN there, as its own ``**`` does).

    Args:
        schedule: a schedule or a number.
        exponent: >= 0.

    Raises:
        ValueError: ``exponent < 0`` or non-finite; a negative value with a
            fractional exponent.
        TypeError: `schedule` neither a schedule nor a number, `exponent` not a number.
    """

    schedule: Schedule | float
    exponent: float

    def __post_init__(self) -> None:
        schedule = as_schedule("schedule", self.schedule)
        e = v.number("exponent", self.exponent, lower=0)
        self._set(schedule=schedule, exponent=e, _inner=schedule._f, _whole=float(e).is_integer())

    def _f(self, s: Any, xp: Any) -> Any:
        value = self._inner(s, xp)
        if not self._whole and (xp is SCALAR or xp is NUMPY):
            low = value if xp is SCALAR else _least(value)
            if low < 0:
                raise ValueError(
                    f"Power with a fractional exponent needs values >= 0. Received: {low!r} from "
                    f"{v.short(self.schedule)}, exponent={self.exponent!r}"
                )
        return value**self.exponent

    def _length(self) -> float:
        return _length_of(self.schedule)


def _least(values: Any) -> Any:
    import numpy as np

    return float(np.min(values, initial=0.0))
