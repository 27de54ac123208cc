"""Piecewise evaluation, the one mechanism behind every schedule made of phases.

`Join`, `Warmup` and the modern schedules (warmup-stable-decay, one-cycle, tri-stage,
...) are all "piece ``i`` on ``[boundaries[i-1], boundaries[i])``". This module
evaluates that once, for every kind of step:

* a Python number: one ``bisect`` and one call of the piece the step is in;
* a numpy chunk (see ``_evaluate``): the pieces the chunk touches, found from its min
  and max; a chunk inside one piece (nearly all of them on a long curve) costs that
  piece alone, so a composition is as fast as its parts;
* framework tensors (torch, jax under ``jit``, TensorFlow under ``tf.function``): every
  piece, combined with ``where``; no value is inspected, so it traces.

A piece sees the step minus its offset (its local clock). Outside its own interval
it is evaluated at the nearest end of it instead (the value is thrown away by
``where``), so no piece ever sees a negative local step, or one beyond its end where
it might overflow: both branches of a ``where`` stay finite.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from lrdecay._xp import NUMPY, SCALAR

__all__ = ["GeometricCycles", "Piecewise", "floor_div"]

Piece = Callable[[Any, Any], Any]


class Piecewise:
    """``pieces[i](step - offsets[i], xp)`` for ``boundaries[i-1] <= step < boundaries[i]``.

    A step equal to a boundary belongs to the later piece. `boundaries` is
    non-decreasing (an empty interval is never used); `offsets` has one entry per piece.
    """

    __slots__ = ("_highs", "_lows", "boundaries", "offsets", "pieces")

    def __init__(
        self, pieces: Sequence[Piece], boundaries: Sequence[float], offsets: Sequence[float]
    ) -> None:
        assert len(pieces) == len(boundaries) + 1 == len(offsets)
        self.pieces = tuple(pieces)
        self.boundaries = tuple(boundaries)
        self.offsets = tuple(offsets)
        # Each piece's interval on its own clock, for clamping (None: unbounded).
        n = len(self.pieces)
        self._lows = tuple(None if i == 0 else self.boundaries[i - 1] - self.offsets[i] for i in range(n))
        self._highs = tuple(None if i == n - 1 else self.boundaries[i] - self.offsets[i] for i in range(n))

    def __call__(self, s: Any, xp: Any) -> Any:
        if xp is SCALAR:
            i = bisect_right(self.boundaries, s)
            return self.pieces[i](s - self.offsets[i], xp)
        first, last = 0, len(self.pieces) - 1
        if xp is NUMPY and s.size:
            first = bisect_right(self.boundaries, s.min())
            last = bisect_right(self.boundaries, s.max())
            if first == last:
                return self.pieces[first](s - self.offsets[first], xp)
        out = None
        for i in range(last, first - 1, -1):
            local = s - self.offsets[i]
            if i > first and self._lows[i] is not None:
                local = xp.maximum(local, self._lows[i])
            if i < last and self._highs[i] is not None:
                local = xp.minimum(local, self._highs[i])
            value = self.pieces[i](local, xp)
            if out is not None and type(out) in (int, float) and type(value) in (int, float):
                # Two constant pieces: a framework's where would make a tensor of its
                # default dtype (float32) from two Python numbers; take the step's.
                out = s * 0.0 + out
            out = value if out is None else xp.where(s < self.boundaries[i], value, out)
        return out


def floor_div(s: Any, d: float, xp: Any) -> Any:
    """``floor(s / d)``, exact for integer `s` and `d` up to 2**53.

    ``s / d`` is rounded, and can round up onto the next integer just before a
    multiple of `d` (``(3 * 10**15 - 1) / 3`` gives ``10**15``): the quotient is
    moved back so that ``q * d <= s < (q + 1) * d`` holds. The upper test is on the
    remainder ``s - q * d`` (exact once ``q * d <= s``): ``(q + 1) * d`` can pass 2**53
    and round down onto `s` (``s = 2**53, d = 3``).
    """
    q = xp.floor(s / d)
    q = xp.where(q * d > s, q - 1.0, q)
    return xp.where(s - q * d >= d, q + 1.0, q)


class GeometricCycles:
    """Cycles of `first`, ``first * t``, ``first * t**2``, ... steps: which one a step is in.

    The restart index is ``floor(log_t(1 + f * (t - 1)))`` with ``f = step / first``,
    corrected after the logarithm so that every restart lands exactly on its step
    (``floor(log)`` alone misses some: ``math.log(243, 3)`` is 4.999...). With
    ``t < 1`` the cycles add up to ``first / (1 - t)`` steps, and `locate` says which
    steps are past that.
    """

    __slots__ = ("_log_t", "_recent", "first", "t")

    def __init__(self, first: float, t: float) -> None:
        self.first = first
        self.t = float(t)
        self._log_t = math.log(self.t) if self.t != 1.0 else 0.0
        # With t > 1, the last cycle a Python-number step was found in: (start, end, i,
        # length) in units of `first`. Training asks for consecutive steps, nearly all in the cycle
        # of the step before, and the check replaces the logarithm and three powers
        # (CosineDecayRestarts with t_mul=2: 0.97 -> 0.5 us a call). It holds only
        # what a fresh `locate` would compute, so a hit returns the same numbers.
        self._recent = (0.0, 0.0, 0, 1.0)

    def start_of_power(self, p: Any) -> Any:
        """Where the cycle with ``t**i = p`` starts, in units of `first`: ``(p - 1) / (t - 1)``.

        ``p - 1`` is split into its rounded value and its rounding error (Fast2Sum, exact
        because ``|p| >= 1`` for t > 1 and ``1 >= p`` for t < 1), so a start that is a
        float64 integer comes out exactly even when ``p - 1`` does not fit in 53 bits:
        the restart at step 1111111111111111 (t=10) is found, not missed.
        """
        if self.t > 1.0:
            hi = p - 1.0
            lo = (p - hi) - 1.0
        else:
            hi = 1.0 - p
            lo = (1.0 - hi) - p
        d = abs(self.t - 1.0)
        return hi / d + lo / d

    def locate(self, s: Any, xp: Any) -> tuple[Any, Any, Any, Any]:
        """``(i, local, length, finished)`` for step `s`.

        `i` is the cycle's index, `local` how far into it the step is and `length` its
        length, both in steps when ``t == 1`` (``local = s - i * first``, exact for
        integer steps) and in units of `first` otherwise (``length = t**i``);
        ``length - local`` cancels only by Sterbenz (exactly) near a cycle's end.
        `finished` is None, or (``t < 1``) where the step is past all the cycles, where
        the other three are those of step 0.
        """
        first, t = self.first, self.t
        f = s / first
        if t == 1.0:
            i = xp.floor(f)
            # f rounds up to the next integer when the step is within f's last bit of a
            # restart (step 10**6 * 1000 - 1 over first=1000 near 2**53): move i back.
            i = xp.where(i * first > s, i - 1.0, i)
            return i, s - i * first, first, None
        if xp is SCALAR and t > 1.0:
            start, end, i, length = self._recent
            if start <= f < end:
                return i, f - start, length, None
        finished = None
        arg = 1.0 - f * (1.0 - t)
        if t < 1.0:
            finished = arg <= 0.0
            arg = xp.where(finished, 1.0, arg)
            f = xp.where(finished, 0.0, f)
        i = xp.floor(xp.log(arg) / self._log_t)
        # The logarithm can land a hair on the wrong side of a restart: move i so that
        # start(i) <= f < start(i + 1) holds exactly.
        i = xp.where(f >= self.start_of_power(t ** (i + 1.0)), i + 1.0, i)
        i = xp.where(f < self.start_of_power(t**i), i - 1.0, i)
        length = t**i
        start = self.start_of_power(length)
        if xp is SCALAR and t > 1.0:
            try:
                # Only where a fresh lookup in this cycle cannot overflow either (its
                # estimate is at most one cycle on, whose end it then computes).
                t ** (i + 2.0)
                self._recent = (start, self.start_of_power(t ** (i + 1.0)), i, length)
            except OverflowError:
                pass
        return i, f - start, length, finished
