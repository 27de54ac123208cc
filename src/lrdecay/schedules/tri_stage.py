"""fairseq's tri-stage schedule: warmup, hold, exponential decay (wav2vec 2.0)."""

from __future__ import annotations

import dataclasses
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._registry import register
from lrdecay.schedules.compose import Constant
from lrdecay.schedules.warmup_stable_decay import WarmupStableDecay

__all__ = ["TriStage"]


@register
@dataclasses.dataclass(frozen=True, repr=False)
class TriStage(Schedule):
    """A linear warmup, a hold at the peak, an exponential decay, then the final rate (fairseq).

    >>> from lrdecay import TriStage
    >>> s = TriStage(1.0, warmup_steps=10, hold_steps=20, decay_steps=10, final_lr_scale=0.25)
    >>> [round(s(k), 6) for k in (0, 5, 10, 29, 30, 35, 40, 10**6)]
    [0.01, 0.505, 1.0, 1.0, 1.0, 0.5, 0.25, 0.25]

    Formula, with ``p`` the peak and ``W, H, D`` the three lengths:

    * ``step < W``: from ``p * init_lr_scale`` linearly to ``p``;
    * ``W <= step < W + H``: ``p``;
    * ``W + H <= step < W + H + D``: ``p * final_lr_scale ** ((step - W - H) / D)``;
    * from ``W + H + D`` on: ``p * final_lr_scale``.

    fairseq's ``tri_stage`` counts the step ``W + H + D`` in the decay; its value there
    is ``p * final_lr_scale`` as well. (fairseq's docstring writes the decay offset as
    ``W + D``; its code, and this class, use ``W + H``.) fairseq's ``phase_ratio`` is
    three lengths ``int(ratio * max_update)``. This is `WarmupStableDecay` with
    ``decay_shape="exponential"`` from ``p * init_lr_scale`` to ``p * final_lr_scale``.

    Args:
        peak_learning_rate: the rate of the hold stage, >= 0.
        warmup_steps: >= 0 (0: start at the peak).
        hold_steps: >= 0.
        decay_steps: > 0 (fairseq divides by zero at 0).
        init_lr_scale: the rate at step 0 as a fraction of the peak, >= 0.
        final_lr_scale: the final rate as a fraction of the peak, > 0 (a geometric
            decay never reaches 0).

    Raises:
        ValueError: a negative or non-finite number, ``decay_steps <= 0``,
            ``final_lr_scale <= 0``.
        TypeError: a non-number.
    """

    peak_learning_rate: float
    warmup_steps: float
    hold_steps: float
    decay_steps: float
    init_lr_scale: float = 0.01
    final_lr_scale: float = 0.01

    def __post_init__(self) -> None:
        peak = v.number("peak_learning_rate", self.peak_learning_rate, lower=0)
        w = v.number("warmup_steps", self.warmup_steps, lower=0)
        hold = v.number("hold_steps", self.hold_steps, lower=0)
        d = v.number("decay_steps", self.decay_steps, lower=0, lower_op=">")
        init_scale = v.number("init_lr_scale", self.init_lr_scale, lower=0)
        final_scale = v.number("final_lr_scale", self.final_lr_scale, lower=0, lower_op=">")
        self._set(
            peak_learning_rate=peak,
            warmup_steps=w,
            hold_steps=hold,
            decay_steps=d,
            init_lr_scale=init_scale,
            final_lr_scale=final_scale,
        )
        # A warmup-stable-decay with a geometric cooldown, from and to fractions of the peak.
        p = float(peak)
        inner = (
            WarmupStableDecay(p, w, hold, d, "exponential", p * final_scale, p * init_scale)
            if p
            else Constant(0.0)
        )
        self._set(_inner=inner._f)

    def _f(self, s: Any, xp: Any) -> Any:
        return self._inner(s, xp)
