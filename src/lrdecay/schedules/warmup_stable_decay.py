"""Warmup-stable-decay (WSD): a warmup, a long flat stable phase, then a short cooldown."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._pieces import Piecewise
from lrdecay._registry import register
from lrdecay.schedules.compose import Constant, cosine_lerp, lerp

__all__ = ["WarmupStableDecay"]

_SHAPES = ("linear", "cosine", "1-sqrt", "exponential")


def _geometric(s: Any, start: float, ratio: float, steps: float, xp: Any) -> Any:
    """``start * ratio ** (s / steps)``: `start` at step 0, ``start * ratio`` at `steps` (ratio > 0)."""
    return start * xp.exp(math.log(ratio) * (s / steps))


@register
@dataclasses.dataclass(frozen=True, repr=False)
class WarmupStableDecay(Schedule):
    """A linear warmup to the peak, the peak for `stable_steps`, then a cooldown to the final rate.

    >>> from lrdecay import WarmupStableDecay
    >>> s = WarmupStableDecay(1.0, warmup_steps=10, stable_steps=80, decay_steps=10)
    >>> [s(k) for k in (0, 5, 10, 89, 90, 95, 100, 10**6)]
    [0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0, 0.0]
    >>> c = WarmupStableDecay(1.0, 10, 80, 10, decay_shape="1-sqrt", final_learning_rate=0.1)
    >>> round(c(92.5), 6), c(100)
    (0.55, 0.1)

    WSD needs no training length in advance: train on the stable phase, and branch a
    cooldown from any step of it with `cooldown_at` (Hägele et al. 2024). The branched
    schedule is the same as this one up to that step:

    >>> long = WarmupStableDecay(1.0, 10, stable_steps=10**6, decay_steps=20)
    >>> short = long.cooldown_at(500)  # stop at step 500 + 20
    >>> short
    WarmupStableDecay(peak_learning_rate=1.0, warmup_steps=10, stable_steps=490, decay_steps=20)
    >>> all(short(k) == long(k) for k in range(501)), short(510), short(520)
    (True, 0.5, 0.0)

    Formula, with ``p`` the peak, ``f`` the final rate, ``W, S, D`` the three lengths and
    ``x = (step - W - S) / D`` the progress of the cooldown:

    * ``step < W``: ``initial + (p - initial) * step / W``;
    * ``W <= step < W + S``: ``p``;
    * ``W + S <= step < W + S + D``, by `decay_shape`: ``"linear"``
      ``f + (p - f) * (1 - x)``; ``"cosine"`` ``f + (p - f) * (1 + cos(pi * x)) / 2``;
      ``"1-sqrt"`` ``f + (p - f) * (1 - sqrt(x))`` (Hägele et al. 2024);
      ``"exponential"`` ``p * (f / p) ** x``, geometric from ``p`` to ``f`` (MiniCPM, Hu
      et al. 2024);
    * from ``W + S + D`` on: ``f``.

    A step on a phase boundary belongs to the later phase. Near the end of the cooldown
    ``1 - x`` is computed as ``(W + S + D - step) / D`` and the cosine as a squared sine of
    that complement, so the last steps keep full relative precision.

    Args:
        peak_learning_rate: the rate of the stable phase, >= 0 (> 0 for "exponential").
        warmup_steps: length of the warmup, >= 0 (0: start at the peak).
        stable_steps: length of the stable phase, >= 0.
        decay_steps: length of the cooldown, > 0.
        decay_shape: ``"linear"``, ``"cosine"``, ``"1-sqrt"`` or ``"exponential"``.
        final_learning_rate: the rate at the end of the cooldown and after, >= 0
            (> 0 for "exponential": a geometric decay never reaches 0).
        initial_learning_rate: the rate at step 0, >= 0.

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``, an unknown
            `decay_shape`, ``"exponential"`` with a zero peak or final rate.
        TypeError: a non-number.
    """

    peak_learning_rate: float
    warmup_steps: float
    stable_steps: float
    decay_steps: float
    decay_shape: str = "linear"
    final_learning_rate: float = 0.0
    initial_learning_rate: float = 0.0

    def __post_init__(self) -> None:
        peak = v.number("peak_learning_rate", self.peak_learning_rate, lower=0)
        w = v.number("warmup_steps", self.warmup_steps, lower=0)
        stable = v.number("stable_steps", self.stable_steps, lower=0)
        d = v.number("decay_steps", self.decay_steps, lower=0, lower_op=">")
        shape = v.choice("decay_shape", self.decay_shape, _SHAPES)
        final = v.number("final_learning_rate", self.final_learning_rate, lower=0)
        initial = v.number("initial_learning_rate", self.initial_learning_rate, lower=0)
        if shape == "exponential" and not (peak > 0 and final > 0):
            arg, value = ("final_learning_rate", final) if peak > 0 else ("peak_learning_rate", peak)
            raise ValueError(
                f"Argument `{arg}` must be > 0 with decay_shape='exponential' (a geometric decay "
                f"never reaches 0; use a small final rate or another shape). Received: {arg}={value!r}"
            )
        self._set(
            peak_learning_rate=peak,
            warmup_steps=w,
            stable_steps=stable,
            decay_steps=d,
            decay_shape=shape,
            final_learning_rate=final,
            initial_learning_rate=initial,
            _p=float(peak),
            _final=float(final),
            _initial=float(initial),
        )
        cooldown = {
            "linear": self._linear,
            "cosine": self._cosine,
            "1-sqrt": self._one_minus_sqrt,
            "exponential": self._exponential,
        }[shape]
        pieces = [Constant(peak)._f, cooldown, Constant(final)._f]
        boundaries = [w + stable, w + stable + d]
        offsets = [w, w + stable, w + stable + d]
        if w:
            pieces.insert(0, self._warmup)
            boundaries.insert(0, w)
            offsets.insert(0, 0)
        self._set(_pieces=Piecewise(pieces, boundaries, offsets))

    def _warmup(self, s: Any, xp: Any) -> Any:
        return lerp(s, self._initial, self._p, self.warmup_steps, xp)

    def _linear(self, s: Any, xp: Any) -> Any:
        return lerp(s, self._p, self._final, self.decay_steps, xp)

    def _cosine(self, s: Any, xp: Any) -> Any:
        return cosine_lerp(s, self._p, self._final, self.decay_steps, xp)

    def _one_minus_sqrt(self, s: Any, xp: Any) -> Any:
        d = self.decay_steps
        # 1 - sqrt(x) = (1 - x) / (1 + sqrt(x)), with 1 - x = (D - s) / D exact.
        return self._final + (self._p - self._final) * (((d - s) / d) / (1.0 + xp.sqrt(s / d)))

    def _exponential(self, s: Any, xp: Any) -> Any:
        return _geometric(s, self._p, self._final / self._p, self.decay_steps, xp)

    def _f(self, s: Any, xp: Any) -> Any:
        return self._pieces(s, xp)

    def cooldown_at(self, step: float, decay_steps: float | None = None) -> WarmupStableDecay:
        """The same run with its cooldown starting at `step` (lasting `decay_steps`, default this one's).

        >>> from lrdecay import WarmupStableDecay
        >>> s = WarmupStableDecay(0.1, 100, stable_steps=10_000, decay_steps=1000, decay_shape="1-sqrt")
        >>> s.cooldown_at(2500, decay_steps=300).stable_steps
        2400

        The result equals this schedule at every step up to ``min(step, warmup_steps +
        stable_steps)``: branch a cooldown from a checkpoint of the stable phase, or move
        the end of a run later (a `step` past the planned cooldown extends the stable
        phase).

        Raises:
            ValueError: `step` before the end of the warmup, a bad `decay_steps`.
        """
        step = v.number("step", step, lower=self.warmup_steps)
        return dataclasses.replace(
            self,
            stable_steps=step - self.warmup_steps,
            decay_steps=self.decay_steps if decay_steps is None else decay_steps,
        )
