"""Step decay at a list of milestones, torch's MultiStepLR."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from lrdecay import _validate as v
from lrdecay._base import Schedule
from lrdecay._pieces import Piecewise
from lrdecay._registry import register
from lrdecay.schedules.compose import Constant

__all__ = ["MultiStepDecay"]


@register
@dataclasses.dataclass(frozen=True, repr=False)
class MultiStepDecay(Schedule):
    """The initial rate, multiplied by `gamma` at each milestone; the milestone step is already decayed.

    >>> from lrdecay import MultiStepDecay
    >>> s = MultiStepDecay(1.0, milestones=[30, 80], gamma=0.5)
    >>> [s(k) for k in (0, 29, 30, 79, 80, 10**6)]
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]

    Formula: ``initial * gamma ** n`` with ``n`` the number of milestones ``<= step``
    (torch's ``MultiStepLR``; a milestone given twice counts twice, as in torch).

    Boundary side: a step equal to a milestone gets the *decayed* rate (torch,
    optax's ``piecewise_constant_schedule``). `PiecewiseConstantDecay` takes the
    opposite side (TensorFlow: a step equal to a boundary keeps the earlier rate), so
    ``MultiStepDecay(1.0, [30], 0.1)`` equals ``PiecewiseConstantDecay([29], [1.0, 0.1])``
    at integer steps, not ``PiecewiseConstantDecay([30], ...)``.

    Args:
        initial_learning_rate: the rate before the first milestone, >= 0.
        milestones: non-decreasing finite steps >= 0 (may be empty: a constant rate).
        gamma: the factor applied at each milestone, >= 0.

    Raises:
        ValueError: a negative or non-finite number, milestones out of order.
        TypeError: a non-number, milestones that are not a list of numbers.
    """

    initial_learning_rate: float
    milestones: Sequence[float]
    gamma: float = 0.1

    def __post_init__(self) -> None:
        initial = v.number("initial_learning_rate", self.initial_learning_rate, lower=0)
        milestones = v.numbers_tuple("milestones", self.milestones, lower=0)
        v.non_decreasing("milestones", milestones)
        gamma = v.number("gamma", self.gamma, lower=0)
        lr, g = float(initial), float(gamma)
        levels = tuple(Constant(lr * g**i)._f for i in range(len(milestones) + 1))
        self._set(
            initial_learning_rate=initial,
            milestones=milestones,
            gamma=gamma,
            _pieces=Piecewise(levels, milestones, (0,) * len(levels)),
        )

    def _f(self, s: Any, xp: Any) -> Any:
        return self._pieces(s, xp)

    def _length(self) -> float:
        return max(self.milestones, default=0)
