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

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from lrdecay._xp import NUMPY, SCALAR

__all__ = ["Piecewise", "floor_div"]

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
