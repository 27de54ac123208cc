"""Cyclical learning rates: one-cycle (Smith & Topin 2017) and triangular cycles (Smith 2017)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._pieces import Piecewise, floor_div
from lrdecay._registry import register
from lrdecay._xp import SCALAR
from lrdecay.schedules.compose import Constant, cosine_lerp, lerp

__all__ = ["Cyclic", "OneCycle"]

_ANNEALS = {"cosine": cosine_lerp, "linear": lerp}
_MODES = ("triangular", "triangular2", "exp_range")


@register
@dataclasses.dataclass(frozen=True, repr=False)
class OneCycle(Schedule):
    """One cycle up to `max_learning_rate` and down far below the start, with torch's phases.

    >>> from lrdecay import OneCycle
    >>> s = OneCycle(1.0, total_steps=100, anneal="linear", div_factor=10.0, final_div_factor=100.0)
    >>> [round(s(k), 6) for k in (0, 29, 64, 99, 100, 10**6)]
    [0.1, 1.0, 0.5, 0.001, 0.001, 0.001]
    >>> t = OneCycle(1.0, 100, div_factor=10.0, three_phase=True)
    >>> [round(t(k), 6) for k in (0, 29, 58, 99)]
    [0.1, 1.0, 0.1, 1e-05]

    Values: ``init = max_learning_rate / div_factor``, ``min = init / final_div_factor``.
    Phases end at the float steps ``e1 = pct_start * total_steps - 1`` and
    ``total_steps - 1`` (two phases: init -> max -> min), or ``e1``,
    ``e2 = 2 * pct_start * total_steps - 2`` and ``total_steps - 1`` (three phases:
    init -> max -> init -> min). A step equal to a phase end belongs to the earlier phase
    and has its end value; inside a phase from step ``a`` to ``b`` the rate goes from
    ``start`` to ``end`` as ``start + (end - start) * (1 - cos(pi * q)) / 2`` (``"cosine"``)
    or ``start + (end - start) * q`` (``"linear"``), ``q = (step - a) / (b - a)``.

    This is torch's ``OneCycleLR`` (``anneal_strategy="cos"`` is ``"cosine"``) up to
    ``total_steps - 1``. Past it this schedule holds ``min``; torch still computes step
    ``total_steps`` by extending the last phase (above ``min`` for the cosine, below it,
    even negative, for the linear anneal) and raises on the step after. Near the end of
    a falling phase torch's ``start + (end - start) * pct`` (and ``1 + cos``) cancels, an
    error of an ulp or two of `max_learning_rate`; here the phase is measured from its
    end, so the last steps keep their relative precision.

    Args:
        max_learning_rate: the peak, >= 0.
        total_steps: the length of the cycle, > 0.
        pct_start: the fraction of `total_steps` spent rising, in (0, 1); it must
            leave a first phase: ``pct_start * total_steps > 1``.
        anneal: ``"cosine"`` or ``"linear"``.
        div_factor: ``max_learning_rate / init``, > 0.
        final_div_factor: ``init / min``, > 0.
        three_phase: come back down to ``init`` before the final anneal to ``min``.

    Raises:
        ValueError: a negative or non-finite number, `pct_start` outside (0, 1), a first
            phase of length <= 0 (torch: ZeroDivisionError), with `three_phase` a third
            phase of length <= 0, an unknown `anneal`.
        TypeError: a non-number, `three_phase` not a bool.
    """

    max_learning_rate: float
    total_steps: float
    pct_start: float = 0.3
    anneal: str = "cosine"
    div_factor: float = 25.0
    final_div_factor: float = 1e4
    three_phase: bool = False

    def __post_init__(self) -> None:
        peak = v.number("max_learning_rate", self.max_learning_rate, lower=0)
        n = v.number("total_steps", self.total_steps, lower=0, lower_op=">")
        pct = v.number("pct_start", self.pct_start, lower=0, lower_op=">", upper=1, upper_op="<")
        anneal = v.choice("anneal", self.anneal, tuple(_ANNEALS))
        div = v.number("div_factor", self.div_factor, lower=0, lower_op=">")
        final_div = v.number("final_div_factor", self.final_div_factor, lower=0, lower_op=">")
        three = v.boolean("three_phase", self.three_phase)
        self._set(
            max_learning_rate=peak,
            total_steps=n,
            pct_start=pct,
            anneal=anneal,
            div_factor=div,
            final_div_factor=final_div,
            three_phase=three,
        )
        # torch's arithmetic, operation for operation: the phase ends are floats.
        top = float(peak)
        init = top / div
        low = init / final_div
        e1 = float(pct * n) - 1
        if not e1 > 0:
            raise ValueError(
                "Argument `pct_start` leaves no rising phase: it ends at pct_start * total_steps - 1 "
                f"= {e1!r}, which must be > 0 (torch raises ZeroDivisionError at 0). "
                f"Received: pct_start={pct!r}, total_steps={n!r}"
            )
        last = float(n - 1)
        ends: tuple[float, ...]
        levels: tuple[float, ...]
        if three:
            e2 = float(2 * pct * n) - 2
            if not last > e2:
                raise ValueError(
                    "Argument `pct_start` leaves no third phase with three_phase=True: it ends at "
                    f"total_steps - 1 = {last!r}, not after 2 * pct_start * total_steps - 2 = {e2!r}. "
                    f"Received: pct_start={pct!r}, total_steps={n!r}"
                )
            ends, levels = (e1, e2, last), (init, top, init, low)
        else:
            ends, levels = (e1, last), (init, top, low)
        shape = _ANNEALS[anneal]
        starts = (0.0, *ends[:-1])
        phases = [
            _phase(shape, a, b, levels[i], levels[i + 1])
            for i, (a, b) in enumerate(zip(starts, ends, strict=True))
        ]
        # The end step belongs to the earlier phase: each boundary is the float after it.
        boundaries = tuple(math.nextafter(e, math.inf) for e in ends)
        pieces = (*phases, Constant(low)._f)
        self._set(_pieces=Piecewise(pieces, boundaries, (0,) * len(pieces)))

    def _f(self, s: Any, xp: Any) -> Any:
        return self._pieces(s, xp)


def _phase(shape: Any, a: float, b: float, start: float, end: float) -> Any:
    """`shape` from `start` at step `a` to `end` at step `b`, on the global clock.

    Measured from the end nearer zero (see `lerp`): from `b` the progress is computed
    as ``b - step`` (one rounding) rather than from the rounded ``step - a``.
    """
    length = b - a
    if abs(start) <= abs(end):

        def rise(s: Any, xp: Any) -> Any:
            return shape(s - a, start, end, length, xp)

        return rise

    def fall(s: Any, xp: Any) -> Any:
        # Measured from the end, the shape reads only `remaining`.
        return shape(s, start, end, length, xp, remaining=b - s)

    return fall


@register
@dataclasses.dataclass(frozen=True, repr=False)
class Cyclic(Schedule):
    """Triangular cycles between a base and a maximum rate, forever (torch's ``CyclicLR``).

    >>> from lrdecay import Cyclic
    >>> s = Cyclic(0.1, 1.0, step_size_up=4)
    >>> [round(s(k), 6) for k in (0, 2, 4, 6, 8, 12)]
    [0.1, 0.55, 1.0, 0.55, 0.1, 1.0]
    >>> h = Cyclic(0.0, 1.0, step_size_up=2, step_size_down=6, mode="triangular2")
    >>> [h(k) for k in (2, 10, 18)]  # the amplitude halves each cycle
    [1.0, 0.5, 0.25]

    Formula, with ``u = step_size_up``, ``d = step_size_down``, ``T = u + d``,
    ``c = floor(step / T)`` (cycles done) and ``p = step - c * T`` (the position in the
    cycle, exact for integer steps below 2**53): ``h = p / u`` if ``p <= u`` else
    ``(T - p) / d``, and the rate is ``base + (max - base) * h * g`` with ``g`` = 1
    (``"triangular"``), ``0.5 ** c`` (``"triangular2"``) or ``gamma ** step``
    (``"exp_range"``). torch writes the cycle as ``floor(1 + step / T)``, 1-based.

    Differences from torch: torch computes the position as ``1 + step / T - cycle``,
    which keeps fewer bits of it as the step grows (about ``1e-16 * cycles`` of the
    amplitude: 1e-12 after ten thousand cycles); here it is the exact remainder. lrdecay has no momentum cycling
    (torch's ``cycle_momentum``) and no custom ``scale_fn``.

    Args:
        base_learning_rate: the rate at the start of each cycle, >= 0.
        max_learning_rate: the rate at the top of the first cycle, >= 0.
        step_size_up: steps from base to top, > 0.
        step_size_down: steps from top back to base, > 0; None means `step_size_up`.
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: the amplitude factor per step of ``"exp_range"``, in (0, 1].

    Raises:
        ValueError: a negative or non-finite number, a step size <= 0, an unknown
            `mode`, `gamma` outside (0, 1], `gamma` != 1 with a mode other than
            ``"exp_range"`` (torch ignores it there).
        TypeError: a non-number.
    """

    base_learning_rate: float
    max_learning_rate: float
    step_size_up: float
    step_size_down: float | None = None
    mode: str = "triangular"
    gamma: float = 1.0

    def __post_init__(self) -> None:
        base = v.number("base_learning_rate", self.base_learning_rate, lower=0)
        top = v.number("max_learning_rate", self.max_learning_rate, lower=0)
        up = v.number("step_size_up", self.step_size_up, lower=0, lower_op=">")
        down = self.step_size_down
        if down is not None:
            down = v.number("step_size_down", down, lower=0, lower_op=">")
        mode = v.choice("mode", self.mode, _MODES)
        gamma = v.number("gamma", self.gamma, lower=0, lower_op=">", upper=1)
        if mode != "exp_range" and gamma != 1:
            raise ValueError(
                f"Argument `gamma` is used by mode='exp_range' only. Received: gamma={gamma!r}, mode={mode!r}"
            )
        d = float(up if down is None else down)
        self._set(
            base_learning_rate=base,
            max_learning_rate=top,
            step_size_up=up,
            step_size_down=down,
            mode=mode,
            gamma=gamma,
            _base=float(base),
            _amplitude=float(top) - float(base),
            _up=float(up),
            _down=d,
            _period=float(up) + d,
            _gamma=float(gamma),
        )

    def _f(self, s: Any, xp: Any) -> Any:
        t, u = self._period, self._up
        if xp is SCALAR:
            c = s // t  # Python's // and % are exact
            p = s % t
        else:
            c = floor_div(s, t, xp)
            p = s - c * t
        h = xp.where(p <= u, p / u, (t - p) / self._down)
        height = self._amplitude * h
        if self.mode == "triangular2":
            height = height * 0.5**c
        elif self.mode == "exp_range":
            height = height * self._gamma**s
        return self._base + height

    def _length(self) -> float:
        return 3 * float(self._period)  # three cycles
