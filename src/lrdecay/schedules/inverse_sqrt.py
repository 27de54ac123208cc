"""Inverse square root decay after a linear warmup (Vaswani et al. 2017)."""

from __future__ import annotations

import dataclasses
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._pieces import Piecewise
from lrdecay._registry import register
from lrdecay.schedules.compose import lerp

__all__ = ["InverseSqrtDecay"]


@register
@dataclasses.dataclass(frozen=True, repr=False)
class InverseSqrtDecay(Schedule):
    """A linear warmup to the peak, then the peak times ``sqrt(timescale / (step - warmup + timescale))``.

    >>> from lrdecay import InverseSqrtDecay
    >>> s = InverseSqrtDecay(1.0, warmup_steps=100)  # fairseq's inverse_sqrt
    >>> [s(k) for k in (0, 50, 100, 400, 10_000)]
    [0.0, 0.5, 1.0, 0.5, 0.1]
    >>> h = InverseSqrtDecay(1.0, warmup_steps=0, timescale=10_000)  # Hugging Face's default for no warmup
    >>> h(30_000)
    0.5

    Formula, with ``W = warmup_steps`` and ``tau = timescale`` (``W`` when None):

    * ``step < W``: ``initial + (peak - initial) * step / W``;
    * ``step >= W``: ``peak * sqrt(tau / (step - W + tau))``, the peak at ``W`` and
      falling as ``1 / sqrt(step)``, without end.

    With ``tau = W`` this is fairseq's ``peak * sqrt(W / step)`` (and the Transformer's
    ``d_model ** -0.5 * min(step ** -0.5, step * W ** -1.5)`` with its peak); Hugging
    Face's ``get_inverse_sqrt_schedule`` is this with its `timescale`.

    Args:
        peak_learning_rate: the rate at the end of the warmup, >= 0.
        warmup_steps: length of the warmup, >= 0.
        initial_learning_rate: the rate at step 0, >= 0.
        timescale: ``tau`` above, > 0 (the rate is ``peak / sqrt(2)`` at step
            ``warmup_steps + timescale``); None means `warmup_steps`.

    Raises:
        ValueError: a negative or non-finite number, ``timescale <= 0``, or
            ``warmup_steps=0`` without a `timescale` (tau would be 0).
        TypeError: a non-number.
    """

    peak_learning_rate: float
    warmup_steps: float
    initial_learning_rate: float = 0.0
    timescale: float | None = None

    def __post_init__(self) -> None:
        peak = v.number("peak_learning_rate", self.peak_learning_rate, lower=0)
        w = v.number("warmup_steps", self.warmup_steps, lower=0)
        initial = v.number("initial_learning_rate", self.initial_learning_rate, lower=0)
        tau = self.timescale
        if tau is not None:
            tau = v.number("timescale", tau, lower=0, lower_op=">")
        elif w == 0:
            raise ValueError(
                "InverseSqrtDecay needs a timescale > 0: `timescale` defaults to `warmup_steps`, "
                "which is 0 (Hugging Face uses timescale=10000 without warmup). "
                f"Received: warmup_steps={w!r}, timescale=None"
            )
        self._set(
            peak_learning_rate=peak,
            warmup_steps=w,
            initial_learning_rate=initial,
            timescale=tau,
            _peak=float(peak),
            _initial=float(initial),
            _tau=float(w if tau is None else tau),
        )
        pieces = (self._warmup, self._decay) if w else (self._decay,)
        piecewise = Piecewise(pieces, (w,) if w else (), (0, w) if w else (0,))
        self._set(_pieces=piecewise)
        self._set_formula(InverseSqrtDecay, piecewise)

    def _warmup(self, s: Any, xp: Any) -> Any:
        return lerp(s, self._initial, self._peak, self.warmup_steps, xp)

    def _decay(self, s: Any, xp: Any) -> Any:
        tau = self._tau
        return self._peak * xp.sqrt(tau / (s + tau))

    def _f(self, s: Any, xp: Any) -> Any:  # replaced per instance by `_pieces` (see above)
        return self._pieces(s, xp)

    def _length(self) -> float:
        # It decays without end: show it down to a quarter of the peak, sqrt(tau / 16 tau).
        return float(self.warmup_steps + 15 * self._tau)
